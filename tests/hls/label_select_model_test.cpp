// LabelSelectModel (cppsim of LabelSelect) against an element-level reference of the hardware's
// selection: the K largest values, highest first, the lowest index among equal values, and
// label 0 for outputs that no element above the input type's minimum fills.
#include "finn/hls/label_select_model.h"
#include "hls_test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <numeric>
#include <random>

namespace finn::hls {
namespace {

using test::streams_equal;

// The hardware's choice, computed differently from the model (sort instead of insertion): the
// elements above the type's minimum ordered by value (descending), then index; K of them, padded
// with label 0.
std::vector<std::int64_t> reference_labels(const std::vector<std::int64_t>& vector, unsigned k,
                                           ElementType input) {
    std::vector<std::int64_t> order(vector.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::int64_t a, std::int64_t b) { return vector[a] > vector[b]; });
    std::vector<std::int64_t> out;
    for (std::int64_t index : order)
        if (out.size() < k && vector[index] > input.min()) out.push_back(index);
    out.resize(k, 0);
    return out;
}

TEST(LabelSelectModel, MatchesElementReferenceForRandomFoldingsAndTypes) {
    std::mt19937_64 rng(23);
    const std::vector<std::string> inputs = {"BIPOLAR", "BINARY", "INT2", "UINT3",
                                             "INT8",    "UINT8",  "INT4"};
    for (int trial = 0; trial < 120; ++trial) {
        const unsigned labels = 1 + static_cast<unsigned>(rng() % 24);
        std::vector<unsigned> pes;
        for (unsigned d = 1; d <= labels; ++d)
            if (labels % d == 0) pes.push_back(d);
        LabelSelectParams p;
        p.labels = labels;
        p.pe = pes[rng() % pes.size()];
        p.k = 1 + static_cast<unsigned>(rng() % labels);
        p.input = ElementType::parse(inputs[rng() % inputs.size()]);
        p.output = ElementType::parse(rng() % 2 ? "UINT8" : "UINT16");
        const unsigned vectors = 1 + static_cast<unsigned>(rng() % 3);
        const auto values = test::random_values(rng, p.input, std::size_t{labels} * vectors);

        std::vector<std::int64_t> expected;
        for (unsigned v = 0; v < vectors; ++v) {
            std::vector<std::int64_t> vector(values.begin() + v * labels,
                                             values.begin() + (v + 1) * labels);
            for (std::int64_t label : reference_labels(vector, p.k, p.input))
                expected.push_back(label);
        }
        const LabelSelectModel model(p);
        const WordStream out = model.run(pack_elements(values, p.input, p.pe));
        ASSERT_EQ(out.size(), std::size_t{vectors} * p.k);
        EXPECT_TRUE(streams_equal(out, pack_elements(expected, p.output, 1)))
            << "Labels " << labels << " PE " << p.pe << " K " << p.k << " " << p.input.name();
    }
}

TEST(LabelSelectModel, TiesKeepTheLowestIndexAndMinimaLeaveLabelZero) {
    LabelSelectParams p;
    p.labels = 6;
    p.pe = 2;
    p.k = 4;
    p.input = ElementType::parse("INT4");
    p.output = ElementType::parse("UINT8");
    const LabelSelectModel model(p);
    // 5 at 1 and 4, 3 at 2: 1, 4, 2, then index 0 (the minimum -8 never enters).
    const std::vector<std::int64_t> tie{-8, 5, 3, -8, 5, -8};
    EXPECT_EQ(model.select(tie.data()), (std::vector<std::int64_t>{1, 4, 2, 0}));
    const std::vector<std::int64_t> distinct{0, 7, -1, 6, 2, -8};
    EXPECT_EQ(model.select(distinct.data()), (std::vector<std::int64_t>{1, 3, 4, 0}));
    const std::vector<std::int64_t> minima{-8, -8, -8, -8, -7, -8};
    EXPECT_EQ(model.select(minima.data()), (std::vector<std::int64_t>{4, 0, 0, 0}));
}

TEST(LabelSelectModel, RejectsInconsistentParameters) {
    LabelSelectParams p;
    p.labels = 300;
    p.pe = 3;
    p.k = 1;
    p.input = ElementType::parse("INT4");
    p.output = ElementType::parse("UINT8"); // cannot hold 299
    EXPECT_THROW(LabelSelectModel{p}, std::invalid_argument);
    p.output = ElementType::parse("UINT16");
    p.pe = 7;
    EXPECT_THROW(LabelSelectModel{p}, std::invalid_argument);
    p.pe = 3;
    p.k = 301;
    EXPECT_THROW(LabelSelectModel{p}, std::invalid_argument);
    p.k = 2;
    const LabelSelectModel model(p);
    EXPECT_THROW(model.run(WordStream(7, PackedWord(16))), std::invalid_argument);
}

} // namespace
} // namespace finn::hls
