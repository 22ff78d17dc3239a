// SPDX-License-Identifier: Apache-2.0
// `lisa discover ad`: onboarding from the directory (issue 14, item 6).
#pragma once

#include <string>
#include <vector>

namespace lisa::cli {

/// `lisa discover ad --inventory FILE [--directory ID] [--pattern P]... [--output FILE]
/// [--timeout SECONDS]`: lists the domain's privileged groups (found by SID) and the groups
/// matching the patterns with member counts, and writes a draft `privileged_groups:` and
/// `access_groups:` block, every entry marked `# GRANSKA:` for review. Exit codes as lisa's table:
/// 0 written, 2 usage or invalid inventory, 3 the directory could not be read, 5 the output could
/// not be written.
int cmd_discover(const std::vector<std::string>& args);

/// The review marker a draft carries until a person has checked it.
inline constexpr const char* kReviewMarker = "# GRANSKA:";

/// "FILE:LINE:COL: review: <the line's text after the marker>" for every line of `content` that
/// still carries kReviewMarker (`lisa validate` prints them; they do not make it fail).
std::vector<std::string> review_markers(const std::string& path, const std::string& content);

}  // namespace lisa::cli
