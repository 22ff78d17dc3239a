// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string_view>

namespace lisa {

/// Rule severity; ordered so that `a < b` means a is less severe.
enum class Severity { Info, Low, Medium, High, Critical };

[[nodiscard]] std::string_view to_string(Severity severity) noexcept;
[[nodiscard]] std::optional<Severity> severity_from_string(std::string_view text) noexcept;
/// DESIGN §7: critical 10, high 6, medium 3, low 1, info 0.
[[nodiscard]] int severity_weight(Severity severity) noexcept;

}  // namespace lisa
