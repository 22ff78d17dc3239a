// SPDX-License-Identifier: Apache-2.0
// Internal to lisa_probe_tls: collect_tls_facts plus the problems met on the way, which the
// probe reports as ProbeOutput::error.
#pragma once

#include <string>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/engine/probe.hpp"
#include "lisa/probes/tls_probe.hpp"

namespace lisa::tls_detail {

/// Facts, and one line per fact that could not be observed (no secrets in them).
struct TlsScan {
    Facts facts;
    std::vector<std::string> problems;
};

/// What collect_tls_facts does, keeping the problems.
[[nodiscard]] TlsScan scan_tls(const TlsTarget& target, const ProbeContext& context);

}  // namespace lisa::tls_detail
