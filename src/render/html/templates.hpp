// SPDX-License-Identifier: Apache-2.0
// Internal: the HTML report's templates, read at run time from the templates directory
// (RenderOptions::templates_dir, else default_templates_dir()) with lisa's bounded reader.
#pragma once

#include <string>
#include <string_view>

#include "lisa/report/render.hpp"

namespace lisa::html_templates {

/// The text of the template `name` (a path under the templates directory, e.g.
/// "html/page_one.mustache"). Throws std::runtime_error naming the file when it cannot be read:
/// an HTML report without its page one is not written.
[[nodiscard]] std::string read_template(const RenderOptions& options, std::string_view name);

}  // namespace lisa::html_templates
