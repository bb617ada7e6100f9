// finn::Error: the one exception type libfinn throws for bad input.
//
// Its message is a single line that names what failed, where (file, node, config key) and what
// was expected, so that a tool can print it verbatim and exit with code 1.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace finn {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    // `details`: what does not fit on one line (one problem per line, e.g. every node that
    // failed a check); a step tool writes them to build_dataflow.log below the message.
    Error(const std::string& message, std::string details)
        : std::runtime_error(message), details_(std::move(details)) {}

    const std::string& details() const { return details_; }

private:
    std::string details_;
};

// A command used the wrong way (unknown option, missing argument): tools exit with code 2, the
// convention of command-line programs, instead of 1 for bad input.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& message) : Error(message) {}
};

} // namespace finn
