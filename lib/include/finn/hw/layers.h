// One class per FINN hardware layer (spec/finn-ops.md §3). Each class declares its attributes
// (static attributes(Impl), registered by registry.cpp), its folding constraints, folded shapes and
// stream widths, expected cycles, resource estimates and op/parameter counts; HwLayer supplies what
// they share.
#pragma once

#include "finn/hw/hw_layer.h"

namespace finn::hw {

class Mvau : public HwLayer {
public:
    Mvau(Model& model, Node node, Impl impl) : HwLayer(model, node, "MVAU", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t instream_width(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    // WMEM = MW*MH/(PE*SIMD); TMEM = MH/PE, 0 without activation.
    std::int64_t wmem() const;
    std::int64_t tmem() const;
};

class Vvau : public HwLayer {
public:
    Vvau(Model& model, Node node, Impl impl) : HwLayer(model, node, "VVAU", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    std::int64_t wmem() const;
    std::int64_t tmem() const;
};

class Thresholding : public HwLayer {
public:
    Thresholding(Model& model, Node node, Impl impl) : HwLayer(model, node, "Thresholding", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    nlohmann::ordered_json op_and_param_counts() const override;
};

class ConvolutionInputGenerator : public HwLayer {
public:
    ConvolutionInputGenerator(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "ConvolutionInputGenerator", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
    Resources resources(const std::string& fpga_part) const override;
    std::vector<Resources> resource_alternatives(const std::string& fpga_part) override;
    // The RTL SWG's implementation style: "parallel" or "default".
    std::string rtl_impl_style() const;

private:
    std::int64_t rtl_buffer_depth() const;
    bool is_1d() const;
};

class FMPadding : public HwLayer {
public:
    FMPadding(Model& model, Node node, Impl impl) : HwLayer(model, node, "FMPadding", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

class StreamingMaxPool : public HwLayer {
public:
    StreamingMaxPool(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingMaxPool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;

private:
    bool is_1d() const;
};

class Pool : public HwLayer {
public:
    Pool(Model& model, Node node, Impl impl) : HwLayer(model, node, "Pool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

class LabelSelect : public HwLayer {
public:
    LabelSelect(Model& model, Node node, Impl impl) : HwLayer(model, node, "LabelSelect", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    std::vector<FoldingAttribute> folding_attributes() const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

// The layers whose streams are vecs+[C/PE, PE] on every side and whose cycles are the number of
// output words: DuplicateStreams, AddStreams, ChannelwiseOp.
class ChannelStreamLayer : public HwLayer {
public:
    using HwLayer::HwLayer;
    std::vector<FoldingAttribute> folding_attributes() const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

class DuplicateStreams : public ChannelStreamLayer {
public:
    DuplicateStreams(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "DuplicateStreams", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
};

class AddStreams : public ChannelStreamLayer {
public:
    AddStreams(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "AddStreams", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType output_datatype(int index = 0) const override;
};

class ChannelwiseOp : public ChannelStreamLayer {
public:
    ChannelwiseOp(Model& model, Node node, Impl impl)
        : ChannelStreamLayer(model, node, "ChannelwiseOp", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    Resources resources(const std::string& fpga_part) const override;
};

class GlobalAccPool : public HwLayer {
public:
    GlobalAccPool(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "GlobalAccPool", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType output_datatype(int index = 0) const override;
    std::vector<FoldingAttribute> folding_attributes() const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    std::int64_t exp_cycles() const override;
};

class StreamingDataWidthConverter : public HwLayer {
public:
    StreamingDataWidthConverter(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingDataWidthConverter", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    Resources resources(const std::string& fpga_part) const override;
};

class StreamingFIFO : public HwLayer {
public:
    StreamingFIFO(Model& model, Node node, Impl impl)
        : HwLayer(model, node, "StreamingFIFO", impl) {}
    static std::vector<AttrDecl> attributes(Impl impl);
    DataType input_datatype(int index = 0) const override;
    DataType output_datatype(int index = 0) const override;
    Shape normal_input_shape(int index = 0) const override;
    Shape normal_output_shape(int index = 0) const override;
    Shape folded_input_shape(int index = 0) const override;
    Shape folded_output_shape(int index = 0) const override;
    Resources resources(const std::string& fpga_part) const override;
    // impl_style vivado rounds the depth up to a power of two.
    std::int64_t adjusted_depth() const;
};

} // namespace finn::hw
