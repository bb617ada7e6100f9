// Small string helpers shared by messages and reports.
#pragma once

#include <string>
#include <vector>

namespace finn {

// The items with `separator` between them, as Python's separator.join(items).
inline std::string join(const std::vector<std::string>& items,
                        const std::string& separator = ", ") {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i)
        text += (i ? separator : std::string()) + items[i];
    return text;
}

} // namespace finn
