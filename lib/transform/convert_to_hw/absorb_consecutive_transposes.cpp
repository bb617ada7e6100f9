#include "convert_to_hw_util.h"
#include "finn/transform/convert_to_hw.h"
#include "finn/transform/tidy_up.h"

#include <algorithm>

namespace finn {

using namespace hw_convert;

namespace {

// perm2 undoes perm1 (FINN's are_opposite_permutations; out-of-range entries never match).
bool opposite(const std::vector<std::int64_t>& perm1, const std::vector<std::int64_t>& perm2) {
    if (perm1.size() != perm2.size()) return false;
    const auto n = static_cast<std::int64_t>(perm1.size());
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t p = perm2[i];
        if (p < 0 || p >= n || perm1[p] != i) return false;
    }
    return true;
}

bool absorb(Model& model, Node node) {
    if (!node.is_standard_op("Transpose") || !node.has_attr("perm")) return false;
    const std::string source = node.input(0), middle = node.output(0);
    if (model.is_graph_output(middle)) return false;
    const auto perm = node.attr_ints("perm");
    const std::vector<Node> inverses = model.consumers(middle);
    if (inverses.empty()) return false;
    for (const Node& next : inverses) {
        // FINN asserts on a graph output after the pair; the pair is kept instead.
        if (!next.is_standard_op("Transpose") || !next.has_attr("perm") ||
            !opposite(perm, next.attr_ints("perm")) || model.is_graph_output(next.output(0)))
            return false;
    }
    std::vector<int> indices = {model.index_of(node)};
    std::vector<std::string> orphans = {middle};
    for (const Node& next : inverses) {
        const std::string restored = next.output(0);
        for (Node reader : model.consumers(restored))
            for (int i = 0; i < reader.input_count(); ++i)
                if (reader.input(i) == restored) reader.set_input(i, source);
        indices.push_back(model.index_of(next));
        orphans.push_back(restored);
    }
    std::sort(indices.rbegin(), indices.rend());
    for (int index : indices)
        model.remove_node(index);
    for (const auto& t : orphans)
        model.remove_tensor_if_unused(t);
    return true;
}

} // namespace

bool AbsorbConsecutiveTransposes::run(Model& model) {
    if (!convert_all(model, std::string(name()), absorb, false)) return false;
    InferDataTypes().run(model);
    return true;
}

} // namespace finn
