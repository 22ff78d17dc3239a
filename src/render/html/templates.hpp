// SPDX-License-Identifier: Apache-2.0
// Internal: the HTML report's templates (templates/html/*.mustache), read at run time from the
// templates directory (RenderOptions::templates_dir, else default_templates_dir()) with lisa's
// bounded reader, checked, and rendered with lisa's one HTML sanitiser.
//
// How markup gets in: only from template files. C++ passes values (strings, lists, booleans) and
// every `{{value}}` is escaped by html_escape (lisa/core/text.hpp), catalogue words included. No
// template may write a value unescaped (`{{{x}}}`, `{{&x}}` are refused when checked), and lisa
// passes no HTML fragment as a value: its charts are templates too, with the geometry computed in
// C++ as numbers. lisa's own fragments that several sections share (the evidence list) are
// templates as well, handed to the template as a kainjow `partial` (`{{> evidence}}`) whose text
// is the checked template file, never a value from the report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

#include "lisa/core/result.hpp"
#include "lisa/report/render.hpp"

namespace lisa::html_templates {

/// The templates the HTML report uses, as names under the templates directory
/// ("html/page_one.mustache", "html/head.mustache", …): the list check_html_templates checks.
[[nodiscard]] const std::vector<std::string_view>& report_templates();

/// Every file in the templates directory's html/ folder whose name, trailing blanks aside, ends in
/// ".mustache" (any case) but is not one of report_templates() -- "Header.mustache",
/// "sumary.mustache", "header.mustache " -- each as "PATH: message", naming the template whose name
/// differs only in case or blanks when there is one; empty when there is none. Such a file would
/// otherwise be ignored and the shipped template used in its place without a word. Other files (a
/// README, a backup "x.mustache.orig") are not templates.
[[nodiscard]] std::vector<std::string> unknown_templates(const RenderOptions& options);

/// The text of the template `name` (a path under the templates directory, e.g.
/// "html/page_one.mustache"). Throws std::runtime_error naming the file when it cannot be read:
/// an HTML report without its templates is not written.
[[nodiscard]] std::string read_template(const RenderOptions& options, std::string_view name);

/// The template `name` read and checked: the problem as "PATH:LINE:COL: message" when it cannot be
/// read, writes a value unescaped ({{{x}}}, {{&x}}), or is not valid Mustache.
[[nodiscard]] Result<std::string> checked_template(const RenderOptions& options, std::string_view name);

/// The template `name` (checked as above) rendered with `data`, every value escaped by
/// html_escape. Throws std::runtime_error naming the file when the template has a problem (the CLI
/// checks every template before the scan: a problem here is a template changed during the run).
[[nodiscard]] std::string render(const RenderOptions& options, std::string_view name,
                                 const kainjow::mustache::data& data);

/// `name`'s checked text as a partial for `{{> …}}` (the same checks; throws as render does).
[[nodiscard]] kainjow::mustache::partial partial(const RenderOptions& options, std::string_view name);

}  // namespace lisa::html_templates
