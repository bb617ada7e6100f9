// Finn's one start-up point: registers the dialects that extend the IR and the executor — today
// the hardware layers (their ONNX ops and reference kernels, lib/hw/) — the way an MLIR tool
// registers its dialects before it reads any input.
//
// Every program using libfinn calls it once at the start of main, before a model is read;
// finn::run_step_tool() does it for step tools. Calling it again does nothing.
#pragma once

namespace finn {

void initialize();

} // namespace finn
