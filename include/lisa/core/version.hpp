// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace lisa {
/// The tool version reported in every report.
inline constexpr const char* kVersion = "0.1.0";
}  // namespace lisa
