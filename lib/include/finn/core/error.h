// finn::Error: the one exception type libfinn throws for bad input.
//
// Its message is a single line that names what failed, where (file, node, config key) and what
// was expected, so that a tool can print it verbatim and exit with code 1.
#pragma once

#include <stdexcept>
#include <string>

namespace finn {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A command used the wrong way (unknown option, missing argument): tools exit with code 2, the
// convention of command-line programs, instead of 1 for bad input.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(message) {}
};

} // namespace finn
