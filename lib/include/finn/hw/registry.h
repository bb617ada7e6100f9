// Questions about nodes answered from the layer definitions (finn/hw/layer_definition.h): which
// layer an op type stands for (abstract name, `<op>_hls`, `<op>_rtl` and the legacy names older
// FINN files use), its attributes, and the layer object of a node.
#pragma once

#include "finn/hw/hw_layer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace finn::hw {

// The abstract op names of the layers Finn models (MVAU, VVAU, Thresholding, ...).
const std::vector<std::string>& layer_names();

// The abstract op and implementation an op type stands for in a domain: "MVAU_hls" in
// finn.custom_op.fpgadataflow.hls -> {MVAU, Hls}; legacy "MatrixVectorActivation" ->
// {MVAU, Abstract}. Nothing for ops that are not modelled layers.
struct LayerKind {
    std::string abstract_op;
    Impl impl;
};
std::optional<LayerKind> layer_kind(const std::string& op_type, const std::string& domain);

// The op-specific attributes of a layer (without HWCustomOp's common ones), FINN's names, types,
// defaults (null = required) and allowed values, for one implementation.
std::vector<AttrDecl> layer_attributes(const std::string& abstract_op, Impl impl);

// The layer object for a node, or nullptr when the node is not a modelled hardware layer.
std::unique_ptr<HwLayer> make_layer(Model& model, Node node);
// Like make_layer, but a node that is not a modelled layer is an error naming it.
std::unique_ptr<HwLayer> require_layer(Model& model, Node node);

} // namespace finn::hw
