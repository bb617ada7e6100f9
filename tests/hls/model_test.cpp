// The C++ models of hls/ (cppsim) and FINN's element packing, without any simulator.
#include "finn/hls/element_packing.h"
#include "finn/hls/memory_file.h"
#include "finn/hls/mvau_model.h"
#include "finn/hls/packed_word.h"
#include "finn/hls/streaming_fifo_model.h"
#include "finn/hls/thresholding_model.h"
#include "finn/hls/width_converter_model.h"
#include "hls_test_support.h"

#include <gtest/gtest.h>
#include <numeric>
#include <random>

namespace finn::hls {
namespace {

using test::streams_equal;

TEST(PackedWord, BitFieldsCrossLimbBoundaries) {
    PackedWord word(130);
    word.set_bits(60, 10, 0x3ab);
    word.set_bits(127, 3, 0x5);
    EXPECT_EQ(word.bits(60, 10), 0x3abu);
    EXPECT_EQ(word.bits(127, 3), 0x5u);
    EXPECT_EQ(word.bits(0, 60), 0u);
    EXPECT_EQ(word.bits(128, 64), 0x2u); // bits past the width read as zero
    EXPECT_THROW(word.set_bits(129, 2, 3), std::out_of_range);
    EXPECT_EQ(PackedWord(12).to_hex(), "000");
}

TEST(ElementType, ParsesFinnNamesAndEncodesTwosComplement) {
    const ElementType int4 = ElementType::parse("INT4");
    EXPECT_EQ(int4.bits, 4u);
    EXPECT_EQ(int4.min(), -8);
    EXPECT_EQ(int4.max(), 7);
    EXPECT_EQ(int4.encode(-3), 0xdu);
    EXPECT_EQ(int4.decode(0xd), -3);
    EXPECT_THROW(int4.encode(8), std::invalid_argument);

    const ElementType bipolar = ElementType::parse("BIPOLAR");
    EXPECT_EQ(bipolar.encode(-1), 0u);
    EXPECT_EQ(bipolar.encode(1), 1u);
    EXPECT_EQ(bipolar.decode(0), -1);
    EXPECT_THROW(bipolar.encode(0), std::invalid_argument);

    EXPECT_EQ(ElementType::parse("BINARY").name(), "BINARY");
    EXPECT_EQ(ElementType::parse("UINT8").max(), 255);
    EXPECT_EQ(ElementType::parse("TERNARY").decode(3), -1);
    EXPECT_THROW(ElementType::parse("FLOAT32"), std::invalid_argument);
    EXPECT_THROW(ElementType::parse("INT0"), std::invalid_argument);
}

// Spec §4.3: element 0 in the least significant bits, words padded to whole bytes.
TEST(ElementPacking, ElementZeroInLeastSignificantBitsAndBytePadding) {
    const std::vector<std::int64_t> values{1, -2, 3, -8, 7, 0};
    const WordStream words = pack_elements(values, ElementType::parse("INT4"), 3);
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].width(), 16u); // 3 x 4 bits, padded
    EXPECT_EQ(words[0].to_hex(), "03e1");
    EXPECT_EQ(words[1].to_hex(), "0078");

    const WordStream bipolar =
        pack_elements(std::vector<std::int64_t>{1, -1, -1, 1, 1}, ElementType::parse("BIPOLAR"), 5);
    EXPECT_EQ(bipolar[0].width(), 8u);
    EXPECT_EQ(bipolar[0].bits(0, 8), 0x19u); // 1,0,0,1,1 from bit 0 up
    EXPECT_THROW(pack_elements(values, ElementType::parse("INT4"), 4), std::invalid_argument);
}

TEST(ElementPacking, UnpackInvertsPackForEveryType) {
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        const ElementType type = test::random_element_type(rng, 5040); // any of them
        const unsigned per_word = 1 + static_cast<unsigned>(rng() % 20);
        const auto values = test::random_values(rng, type, per_word * (1 + rng() % 5));
        EXPECT_EQ(unpack_elements(pack_elements(values, type, per_word), type, per_word), values)
            << type.name() << " x" << per_word;
    }
}

// The converter model against the element-level reference: unpack with the input folding,
// repack with the output folding.
TEST(WidthConverterModel, MatchesElementRepackingForAnyWidthRatio) {
    std::mt19937_64 rng(5);
    const std::vector<std::pair<unsigned, unsigned>> widths{
        {8, 8}, {2, 8}, {8, 2}, {12, 8}, {8, 12}, {3, 5}, {5, 3}, {24, 16}, {130, 26}, {1, 72}};
    for (const auto& [in_width, out_width] : widths) {
        const ElementType type = test::random_element_type(rng, test::gcd(in_width, out_width));
        const unsigned in_elems = in_width / type.bits, out_elems = out_width / type.bits;
        const unsigned row = std::lcm(in_elems, out_elems) * (1 + rng() % 3);
        const auto values = test::random_values(rng, type, row * (1 + rng() % 4));
        WidthConverterModel model(in_width, out_width);
        EXPECT_TRUE(streams_equal(model.run(pack_elements(values, type, in_elems)),
                                  pack_elements(values, type, out_elems)))
            << in_width << " -> " << out_width << " bits, " << type.name();
    }
}

TEST(WidthConverterModel, IgnoresInputPaddingAndRejectsPartialWords) {
    PackedWord dirty(8);
    dirty.set_bits(0, 8, 0xff); // a 6-bit stream with garbage in its padding
    WidthConverterModel model(6, 3);
    const WordStream out = model.run({dirty});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].bits(0, 8), 0x7u);
    EXPECT_EQ(out[1].bits(0, 8), 0x7u);
    WidthConverterModel partial(6, 4);
    EXPECT_THROW(partial.run({dirty}), std::invalid_argument);
}

TEST(StreamingFifoModel, HoldsDepthWordsAndZeroesPadding) {
    StreamingFifoModel fifo(3, 5);
    PackedWord word(8);
    word.set_bits(0, 8, 0xf5);
    for (int i = 0; i < 3; ++i)
        fifo.push(word);
    EXPECT_FALSE(fifo.can_push());
    EXPECT_THROW(fifo.push(word), std::logic_error);
    EXPECT_EQ(fifo.max_count(), 3u);
    EXPECT_EQ(fifo.pop().bits(0, 8), 0x15u);
    EXPECT_EQ(fifo.count(), 2u);
}

// A BIPOLAR Thresholding output travels as the bit y (FINN's value 2y-1: 0 for -1, 1 for +1);
// signed outputs are two's complement; the memory holds PE rows per word, lane 0 lowest.
TEST(ThresholdingModel, PacksBipolarAndSignedOutputsAndLaysOutThresholds) {
    ThresholdingParams p{4,
                         2,
                         ElementType::parse("INT4"),
                         ElementType::parse("BIPOLAR"),
                         0,
                         ThresholdTable{4, 1, ElementType::parse("INT4"), {0, 1, -2, 3}}};
    const ThresholdingModel bipolar(p);
    // Channels 0..3 with x = 0, 0, -3, 3: reached = 1, 0, 0, 1.
    const WordStream out = bipolar.run(
        pack_elements(std::vector<std::int64_t>{0, 0, -3, 3}, ElementType::parse("INT4"), 2));
    EXPECT_EQ(unpack_elements(out, ElementType::parse("BIPOLAR"), 2),
              (std::vector<std::int64_t>{1, -1, -1, 1}));
    EXPECT_EQ(readmemh_text(bipolar.threshold_memory()), "10\n3e\n");

    p.output = ElementType::parse("INT2");
    p.act_val = -1;
    const WordStream signed_out = ThresholdingModel(p).run(
        pack_elements(std::vector<std::int64_t>{0, 0, -3, 3}, ElementType::parse("INT4"), 2));
    EXPECT_EQ(signed_out[0].bits(0, 8), 0xcu); // y = 0, then -1 (0b11) in the upper element
    EXPECT_EQ(signed_out[1].bits(0, 8), 0x3u); // y = -1, then 0
}

// W (MW x MH) as in ONNX; weight word nf*SF+sf holds W^T[nf*PE+p][sf*SIMD+s], lane (p, s) at
// (p*SIMD+s)*wbits.
TEST(MvauModel, LaysOutWeightsAsFinnsStreamWordAndMultiplies) {
    MvauParams p;
    p.mw = 2;
    p.mh = 2;
    p.pe = 1;
    p.simd = 2;
    p.input = ElementType::parse("INT4");
    p.weight = ElementType::parse("INT4");
    p.output = ElementType::parse("INT8");
    p.weights = {1, 2, 3, -4}; // W[0] = (1, 2), W[1] = (3, -4)
    const MvauModel model(p);
    EXPECT_EQ(readmemh_text(model.weight_memory()), "31\nc2\n");
    const WordStream y =
        model.run(pack_elements(std::vector<std::int64_t>{2, 1}, ElementType::parse("INT4"), 2));
    EXPECT_EQ(unpack_elements(y, ElementType::parse("INT8"), 1), (std::vector<std::int64_t>{5, 0}));

    // BIPOLAR x BIPOLAR counts agreeing signs: (x . w + MW) / 2.
    p.input = p.weight = ElementType::parse("BIPOLAR");
    p.weights = {1, -1, 1, 1};
    const WordStream b = MvauModel(p).run(
        pack_elements(std::vector<std::int64_t>{1, -1}, ElementType::parse("BIPOLAR"), 2));
    EXPECT_EQ(unpack_elements(b, ElementType::parse("INT8"), 1), (std::vector<std::int64_t>{1, 0}));
}

} // namespace
} // namespace finn::hls
