// SPDX-License-Identifier: Apache-2.0
// Internal: page one of the HTML report, for the board (issue 16 item 7; README "Page one for
// the board"): the verdict against the municipality's target, the five most serious risks with
// their owners, the change since the last audit and how much could not be checked. The facts
// come from report/page_one.hpp, the words from the label catalogue (board.*), the markup from
// the template html/page_one.mustache (templates.hpp).
#pragma once

#include <string>

#include "lisa/report/document.hpp"
#include "lisa/report/render.hpp"

namespace lisa::html_page_one {

/// Page one as HTML: the template filled in, every value through lisa's html_escape. Throws
/// std::runtime_error when the template cannot be read or is not valid Mustache.
[[nodiscard]] std::string render(const ReportDocument& report, const RenderOptions& options);

/// The template can be read and compiled and writes nothing unescaped; else its problem at
/// PATH:LINE:COL (render.hpp check_html_templates).
[[nodiscard]] Result<bool> check_template(const RenderOptions& options);

}  // namespace lisa::html_page_one
