#include "finn/hw/hw_layer.h"

#include "finn/core/error.h"
#include "finn/hw/registry.h"

#include <algorithm>

namespace finn::hw {

using json = nlohmann::json;

nlohmann::ordered_json Resources::to_json() const {
    nlohmann::ordered_json j;
    j["BRAM_18K"] = bram_18k;
    j["BRAM_efficiency"] = bram_efficiency;
    j["LUT"] = lut;
    j["URAM"] = uram;
    j["URAM_efficiency"] = uram_efficiency;
    j["DSP"] = dsp;
    return j;
}

std::vector<std::int64_t> divisors(std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(d);
    return out;
}

std::int64_t product(const std::vector<std::int64_t>& values) {
    std::int64_t p = 1;
    for (auto v : values)
        p *= v;
    return p;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

HwLayer::HwLayer(Model& model, Node node, std::string abstract_op, Impl impl)
    : model_(&model), node_(node), abstract_op_(std::move(abstract_op)), impl_(impl),
      decl_(find_custom_op(node.domain(), node.op_type())) {}

const AttrDecl* HwLayer::declaration(const std::string& name) const {
    if (!decl_) return nullptr;
    for (const auto& a : decl_->attributes)
        if (a.name == name) return &a;
    return nullptr;
}

namespace {

const json& declared_default(const Node& node, const AttrDecl* decl, const std::string& name) {
    if (!decl)
        throw Error("node " + node.describe() + ": its op declares no attribute '" + name + "'");
    if (decl->default_value.is_null())
        throw Error("node " + node.describe() + ": required attribute '" + name + "' is missing");
    return decl->default_value;
}

} // namespace

std::int64_t HwLayer::get_int(const std::string& name) const {
    if (node_.has_attr(name)) return node_.attr_int(name);
    return declared_default(node_, declaration(name), name).get<std::int64_t>();
}

std::vector<std::int64_t> HwLayer::get_ints(const std::string& name) const {
    if (node_.has_attr(name)) return node_.attr_ints(name);
    return declared_default(node_, declaration(name), name).get<std::vector<std::int64_t>>();
}

std::string HwLayer::get_string(const std::string& name) const {
    if (node_.has_attr(name)) return node_.attr_string(name);
    return declared_default(node_, declaration(name), name).get<std::string>();
}

DataType HwLayer::get_datatype(const std::string& name) const {
    const std::string text = get_string(name);
    DataType type;
    if (!DataType::try_parse(text, type))
        throw Error("node " + node_.describe() + ": attribute '" + name + "' = '" + text +
                    "' is not a FINN datatype");
    return type;
}

void HwLayer::check_folding() const {
    std::set<std::string> all;
    for (const auto& f : folding_attributes())
        all.insert(f.attr);
    check_folding(all);
}

void HwLayer::check_folding(const std::set<std::string>& only) const {
    for (const auto& f : folding_attributes()) {
        if (!only.count(f.attr)) continue;
        const std::int64_t value = get_int(f.attr);
        if (std::find(f.legal_values.begin(), f.legal_values.end(), value) != f.legal_values.end())
            continue;
        std::string legal;
        for (auto v : f.legal_values)
            legal += (legal.empty() ? "" : ", ") + std::to_string(v);
        throw Error("node " + node_.describe() + ": attribute '" + f.attr +
                    "' = " + std::to_string(value) +
                    " is not a legal folding value; legal values: " + legal);
    }
}

DataType HwLayer::input_datatype(int) const {
    return get_datatype("inputDataType");
}

DataType HwLayer::output_datatype(int) const {
    return declaration("outputDataType") ? get_datatype("outputDataType") : input_datatype(0);
}

Shape HwLayer::normal_input_shape(int index) const {
    auto shape = model_->shape(node_.input(index));
    if (!shape)
        throw Error("node " + node_.describe() + ": input " + std::to_string(index) +
                    " has no known shape");
    return *shape;
}

Shape HwLayer::normal_output_shape(int) const {
    return normal_input_shape(0);
}

Shape HwLayer::folded_input_shape(int index) const {
    Shape s = normal_input_shape(index);
    s.push_back(1);
    return s;
}

Shape HwLayer::folded_output_shape(int) const {
    return folded_input_shape(0);
}

std::int64_t HwLayer::instream_width(int index) const {
    return folded_input_shape(index).back() * input_datatype(index).bitwidth();
}

std::int64_t HwLayer::outstream_width(int index) const {
    return folded_output_shape(index).back() * output_datatype(index).bitwidth();
}

std::int64_t HwLayer::number_input_values() const {
    Shape s = folded_input_shape(0);
    s.pop_back();
    return product(s);
}

Resources HwLayer::resources(const std::string&) const {
    return {};
}

nlohmann::ordered_json HwLayer::op_and_param_counts() const {
    return nlohmann::ordered_json::object();
}

std::vector<Resources> HwLayer::resource_alternatives(const std::string& fpga_part) {
    return {resources(fpga_part)};
}

std::vector<Resources> HwLayer::resources_with(const std::string& attr,
                                               const std::vector<std::string>& values,
                                               const std::string& fpga_part) {
    const bool had = node_.has_attr(attr);
    const std::string before = had ? node_.attr_string(attr) : "";
    std::vector<Resources> out;
    for (const auto& v : values) {
        node_.set_attr_string(attr, v);
        out.push_back(resources(fpga_part));
    }
    if (had)
        node_.set_attr_string(attr, before);
    else
        node_.remove_attr(attr);
    return out;
}

} // namespace finn::hw
