#include "finn/hls/label_select_model.h"

#include <stdexcept>
#include <string>

namespace finn::hls {

LabelSelectModel::LabelSelectModel(LabelSelectParams params) : p_(std::move(params)) {
    if (p_.pe == 0 || p_.labels % p_.pe != 0)
        throw std::invalid_argument("LabelSelect: PE " + std::to_string(p_.pe) +
                                    " does not divide " + std::to_string(p_.labels) + " labels");
    if (p_.k < 1 || p_.k > p_.labels)
        throw std::invalid_argument("LabelSelect: K " + std::to_string(p_.k) + " is not in [1, " +
                                    std::to_string(p_.labels) + "]");
    if (!p_.output.allows(static_cast<std::int64_t>(p_.labels) - 1) || p_.output.bipolar)
        throw std::invalid_argument("LabelSelect: output type " + p_.output.name() +
                                    " cannot hold label " + std::to_string(p_.labels - 1));
}

std::vector<std::int64_t> LabelSelectModel::select(const std::int64_t* vector) const {
    // top[0] is the highest entry; every entry starts as (input minimum, label 0).
    std::vector<std::int64_t> value(p_.k, p_.input.min()), label(p_.k, 0);
    for (unsigned i = 0; i < p_.labels; ++i) {
        unsigned slot = 0;
        while (slot < p_.k && !(vector[i] > value[slot]))
            ++slot;
        if (slot == p_.k) continue;
        // Insert at `slot`; the lowest entry drops out.
        for (unsigned j = p_.k - 1; j > slot; --j) {
            value[j] = value[j - 1];
            label[j] = label[j - 1];
        }
        value[slot] = vector[i];
        label[slot] = i;
    }
    return label;
}

WordStream LabelSelectModel::run(const WordStream& input) const {
    const unsigned folds = p_.labels / p_.pe;
    if (input.size() % folds != 0)
        throw std::invalid_argument("LabelSelect: " + std::to_string(input.size()) +
                                    " words are not whole vectors of " + std::to_string(folds));
    const auto x = unpack_elements(input, p_.input, p_.pe);
    WordStream output;
    output.reserve(input.size() / folds * p_.k);
    for (std::size_t v = 0; v < x.size(); v += p_.labels)
        for (std::int64_t index : select(x.data() + v)) {
            PackedWord word(padded_width(p_.output.bits));
            word.set_bits(0, p_.output.bits, p_.output.encode(index));
            output.push_back(std::move(word));
        }
    return output;
}

} // namespace finn::hls
