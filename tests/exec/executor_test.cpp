#include "finn/core/error.h"
#include "finn/exec/executor.h"

#include <gtest/gtest.h>

namespace finn {
namespace {

// y = Relu(x + b), x (1, 3), b an initializer.
Model relu_add_model() {
    Model model;
    model.graph().set_name("relu_add");
    model.proto().add_opset_import()->set_version(13);
    model.graph().add_input()->set_name("x");
    model.set_shape("x", {1, 3});
    model.graph().add_output()->set_name("y");
    model.set_initializer("b", Tensor::from_floats({3}, {1, -1, 0}));
    model.add_node("Add", {"x", "b"}, {"s"}, "Add_0");
    model.add_node("Relu", {"s"}, {"y"}, "Relu_0");
    return model;
}

void expect_error(const std::function<void()>& f, const std::string& fragment) {
    try {
        f();
        FAIL() << "expected an error containing: " << fragment;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
}

TEST(Executor, RunsInTopologicalOrderAndKeepsIntermediates) {
    Model model = relu_add_model();
    model.graph().mutable_node()->SwapElements(0, 1); // unsorted on purpose
    Executor executor(model);
    TensorMap out = executor.run({{"x", Tensor::from_floats({1, 3}, {-5, 2, 3})}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out.at("y").to_doubles(), (std::vector<double>{0, 1, 3}));
    TensorMap all = executor.run({{"x", Tensor::from_floats({1, 3}, {-5, 2, 3})}}, true);
    EXPECT_EQ(all.at("s").to_doubles(), (std::vector<double>{-4, 1, 3}));
    EXPECT_TRUE(all.count("x"));
}

TEST(Executor, BatchOfNRunsSampleBySample) {
    Model model = relu_add_model();
    Executor executor(model);
    TensorMap out = executor.run_batched({{"x", Tensor::from_floats({2, 3}, {-5, 2, 3, 1, 1, 1})}});
    EXPECT_EQ(out.at("y").shape(), (Shape{2, 3}));
    EXPECT_EQ(out.at("y").to_doubles(), (std::vector<double>{0, 1, 3, 2, 0, 1}));
}

TEST(Executor, UnsupportedOperatorNamesNodeAndListsSupported) {
    Model model = relu_add_model();
    model.add_node("Frobnicate", {"y"}, {"z"}, "Frob_0", "my.domain");
    expect_error([&] { Executor e(model); },
                 "node Frob_0 (Frobnicate, my.domain): unsupported operator Frobnicate in domain "
                 "'my.domain'; supported: ");
    expect_error([&] { Executor e(model); }, "Relu");
}

TEST(Executor, UndefinedTensorIsNamed) {
    Model model = relu_add_model();
    model.node(1).set_input(0, "ghost");
    expect_error([&] { Executor e(model); }, "reads undefined tensor 'ghost'");
}

TEST(Executor, BadInputsNameTheInputAndExpectedShape) {
    Model model = relu_add_model();
    Executor executor(model);
    expect_error([&] { executor.run({}); }, "missing input 'x' (expected shape (1, 3))");
    expect_error(
        [&] {
            executor.run({{"x", Tensor::from_floats({1, 4}, {1, 2, 3, 4})}});
        },
        "input 'x' has shape (1, 4), expected (1, 3)");
    expect_error(
        [&] {
            executor.run({{"x", Tensor::from_int64s({1, 3}, {1, 2, 3})}});
        },
        "input 'x' has element type int64, expected float32 with shape (1, 3)");
    expect_error(
        [&] {
            executor.run({{"x", Tensor::from_floats({1, 3}, {1, 2, 3})}, {"q", Tensor()}});
        },
        "input 'q' is not an input of the model");
}

TEST(Executor, OutputsMayBeInitializersOrInputs) {
    Model model;
    model.graph().add_input()->set_name("x");
    model.set_shape("x", {2});
    model.graph().add_output()->set_name("c");
    model.graph().add_output()->set_name("x");
    model.set_initializer("c", Tensor::from_floats({1}, {7}));
    TensorMap out = Executor(model).run({{"x", Tensor::from_floats({2}, {1, 2})}});
    EXPECT_EQ(out.at("c").to_doubles(), std::vector<double>{7});
    EXPECT_EQ(out.at("x").to_doubles(), (std::vector<double>{1, 2}));
}

TEST(Executor, KernelErrorsNameTheNode) {
    Model model = relu_add_model();
    model.set_initializer("b", Tensor::from_floats({2}, {1, 2})); // (1,3) + (2) cannot broadcast
    Executor executor(model);
    expect_error(
        [&] {
            executor.run({{"x", Tensor::from_floats({1, 3}, {1, 2, 3})}});
        },
        "node Add_0 (Add)");
}

} // namespace
} // namespace finn
