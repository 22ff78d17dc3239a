// SPDX-License-Identifier: Apache-2.0
// Runs the real lisa binary for the hostile-network suite and times it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "process.hpp"

namespace lisa::hostile {

struct LisaRun {
    int status = -1;
    std::string output;  ///< stdout only (stderr is discarded: lisa prints nothing but the report)
    double seconds = 0;  ///< wall time, process start to exit
};

/// Runs LISA_BINARY with `args`, stdout captured, stderr discarded.
inline LisaRun run_lisa(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>/dev/null", LISA_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    LisaRun run;
    const auto started = std::chrono::steady_clock::now();
    run.status = testing_support::run_command(argv, &run.output);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return run;
}

}  // namespace lisa::hostile
