// The floor for step-tool timings: a process that only loads a model and saves it again, as every
// step tool must at least do.
//
//   finn-bench-load-save <in.onnx> <out.onnx>
#include "finn/initialize.h"
#include "finn/ir/model.h"

#include <iostream>

int main(int argc, char** argv) {
    finn::initialize(); // as every step tool does, so the floor stays comparable
    if (argc != 3) {
        std::cerr << "usage: finn-bench-load-save <in.onnx> <out.onnx>\n";
        return 1;
    }
    try {
        finn::Model::load(argv[1]).save(argv[2]);
    } catch (const std::exception& e) {
        std::cerr << "finn-bench-load-save: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
