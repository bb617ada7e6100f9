// The schema registry Finn's shape inference hands to ONNX (private to libfinn).
#pragma once

#include <onnx/defs/schema.h>

namespace finn {

// Answers exactly as onnx::OpSchemaRegistry would, but builds a standard operator's schemas only
// when a model first uses that operator, and serves Finn's custom schemas from its own copies.
// ONNX's registry builds and registers all of its ~500 schemas on its first lookup, which costs a
// small step tool more time than its actual work. Other domains (ai.onnx.ml, ...) still go to
// ONNX's registry.
const onnx::ISchemaRegistry* lazy_schema_registry();

} // namespace finn
