// MoveLinearPastFork and MoveLinearPastEltwiseAdd (residual blocks): the rewrite, that values are
// unchanged, and the cases left alone.
#include "finn/transform/streamline.h"
#include "hw_test_models.h"

namespace finn {
namespace {

using namespace hw_test;

// x (1, 4) INT3 -> Mul(0.25) -> fork to Add(0.5) -> y1 and MultiThreshold -> y2.
Model scaled_fork_model() {
    Model model = empty_model();
    add_input(model, "x", {1, 4}, DataType::sint(3));
    add_output(model, "y1", {1, 4});
    add_output(model, "y2", {1, 4});
    add_param(model, "s", {}, {0.25});
    add_param(model, "b", {}, {0.5});
    add_param(model, "T", {1, 2}, {-0.5, 0.5});
    model.add_node("Mul", {"x", "s"}, {"scaled"}, "Mul_0");
    model.add_node("Add", {"scaled", "b"}, {"y1"}, "Add_0");
    add_multithreshold(model, "scaled", "T", "y2", "UINT2");
    prepare(model);
    return model;
}

TEST(MoveLinearPastFork, EachBranchGetsItsOwnCopy) {
    Model model = scaled_fork_model();
    const Model before = model;
    EXPECT_TRUE(MoveLinearPastFork().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Mul", "Add", "Mul", "MultiThreshold"}));
    for (Node mul : {model.node(0), model.node(2)}) {
        EXPECT_EQ(mul.input(0), "x");
        EXPECT_EQ(model.consumers(mul.output(0)).size(), 1u);
    }
    EXPECT_FALSE(MoveLinearPastFork().run(model));
    expect_same_outputs(before, model, 16);
}

// Add(a * 0.25, b * scale_b) with a, b INT3 graph inputs.
Model scaled_add_model(double scale_b) {
    Model model = empty_model();
    add_input(model, "a", {1, 4}, DataType::sint(3));
    add_input(model, "b", {1, 4}, DataType::sint(3));
    add_output(model, "y", {1, 4});
    add_param(model, "sa", {}, {0.25});
    add_param(model, "sb", {}, {scale_b});
    model.add_node("Mul", {"a", "sa"}, {"ma"}, "Mul_0");
    model.add_node("Mul", {"b", "sb"}, {"mb"}, "Mul_1");
    model.add_node("Add", {"ma", "mb"}, {"y"}, "Add_0");
    prepare(model);
    return model;
}

TEST(MoveLinearPastEltwiseAdd, EqualScalesMoveBehindTheAdd) {
    Model model = scaled_add_model(0.25);
    const Model before = model;
    EXPECT_TRUE(MoveLinearPastEltwiseAdd().run(model));
    ASSERT_EQ(op_types(model), (Strings{"Add", "Mul"}));
    EXPECT_EQ(model.node(0).inputs(), (Strings{"a", "b"}));
    EXPECT_EQ(model.node(1).output(0), "y");
    // Two inputs: compare on both.
    Executor run_before(before), run_after(model);
    const TensorMap feed = {
        {"a", Tensor::from_doubles(ElementType::Float32, {1, 4}, {-4, -1, 2, 3})},
        {"b", Tensor::from_doubles(ElementType::Float32, {1, 4}, {3, -4, 0, 1})}};
    EXPECT_EQ(run_after.run(feed).at("y").to_doubles(), run_before.run(feed).at("y").to_doubles());
}

TEST(MoveLinearPastEltwiseAdd, DifferentScalesStay) {
    Model model = scaled_add_model(0.5);
    EXPECT_FALSE(MoveLinearPastEltwiseAdd().run(model));
    EXPECT_EQ(op_types(model), (Strings{"Mul", "Mul", "Add"}));
}

} // namespace
} // namespace finn
