// SPDX-License-Identifier: Apache-2.0
// The HTML report rendered from the golden JSON report: sections in order in both languages,
// escaping of everything the report carries, no script and no remote asset, determinism, the
// trend chart only with history, and the survey answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <locale>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "html_test_support.hpp"

namespace {

using RenderOptions = lisa::html_test::Options;
using lisa::ReportJson;
using lisa::html_test::escaped;
using lisa::html_test::first_finding;
using lisa::html_test::golden;
using lisa::html_test::hostile;
using lisa::html_test::render;
using lisa::html_test::render_lang;
using lisa::html_test::score_text;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos;
         pos = haystack.find(needle, pos + needle.size())) {
        ++n;
    }
    return n;
}

std::string between(const std::string& html, const std::string& from, const std::string& to) {
    const auto a = html.find(from);
    const auto b = html.find(to, a == std::string::npos ? 0 : a);
    if (a == std::string::npos || b == std::string::npos) {
        return {};
    }
    return html.substr(a, b - a);
}

// Section headings, in the order the report shows them: page one for the board, the action plan,
// the survey, the detail behind the score, the technical appendix (issue 16 item 7).
const std::vector<std::string> kHeadingsSv = {
    "<h2>Läget i korthet</h2>",
    ">Åtgärdsplan</h2>",
    ">Socialstyrelsens enkät: kommunens svar jämfört med riket</h2>",
    "<h2>Sammanfattning</h2>",
    "<h2>Resultat per område</h2>",
    "<h2>Utveckling sedan tidigare granskningar</h2>",
    ">Underkända regler</h2>",
    "<h2>Kunde inte kontrolleras</h2>",
    "<h2>Riskacceptanser</h2>",
    ">Bilaga: underlag och kontroller</h2>"};
const std::vector<std::string> kHeadingsEn = {
    "<h2>At a glance</h2>",
    ">Action plan</h2>",
    // The catalogue's words are escaped like every other value (templates/html): ' is &#39;.
    ">Socialstyrelsen survey: the municipality&#39;s answers compared</h2>",
    "<h2>Summary</h2>",
    "<h2>Scores by area</h2>",
    "<h2>Trend since earlier audits</h2>",
    ">Failing rules</h2>",
    "<h2>Could not be checked</h2>",
    "<h2>Waivers (risk acceptances)</h2>",
    ">Appendix: evidence and probes</h2>"};

void expect_headings_in_order(const std::string& html, const std::vector<std::string>& headings) {
    std::size_t last = 0;
    for (const auto& h : headings) {
        const auto pos = html.find(h);
        ASSERT_NE(pos, std::string::npos) << "missing heading " << h;
        EXPECT_GT(pos, last) << "heading out of order: " << h;
        last = pos;
    }
}

/**
 * A small well-formedness check: every non-void element is closed in order, no attribute
 * value is left unquoted, and there is exactly one html, head and body.
 */
std::string structure_problem(const std::string& html) {
    static const std::vector<std::string> kVoid = {"meta", "br",  "hr",   "img",  "link",  "input",
                                                   "col",  "wbr", "area", "base", "source"};
    static const std::regex kTag(
        R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*(?:="[^"<]*")?)*)\s*(/?)>)");
    std::vector<std::string> stack;
    std::size_t pos = html.find("<html");
    if (html.rfind("<!DOCTYPE html>\n", 0) != 0) {
        return "no doctype";
    }
    std::string in_style;
    while (pos != std::string::npos && pos < html.size()) {
        if (!in_style.empty()) {  // raw text: skip to its end tag
            pos = html.find("</style>", pos);
            if (pos == std::string::npos) {
                return "unterminated style";
            }
            in_style.clear();
        }
        std::smatch m;
        const std::string rest = html.substr(pos, 4096);
        if (!std::regex_search(rest, m, kTag, std::regex_constants::match_continuous)) {
            return "malformed tag at " + std::to_string(pos) + ": " + rest.substr(0, 80);
        }
        const bool closing = m[1].length() > 0;
        const std::string name = m[2];
        const bool self_closing = m[4].length() > 0;
        if (closing) {
            if (stack.empty() || stack.back() != name) {
                return "unexpected </" + name + "> at " + std::to_string(pos) +
                       (stack.empty() ? "" : " (open: " + stack.back() + ")");
            }
            stack.pop_back();
        } else if (!self_closing && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
            stack.push_back(name);
            if (name == "style") {
                in_style = name;
            }
        }
        pos = html.find('<', pos + static_cast<std::size_t>(m.length()));
    }
    if (!stack.empty()) {
        return "unclosed <" + stack.back() + ">";
    }
    if (count(html, "<html") != 1 || count(html, "<head>") != 1 || count(html, "<body>") != 1) {
        return "html/head/body not unique";
    }
    return {};
}

TEST(HtmlReport, RendersTheGoldenReport) {
    const ReportJson report = golden();
    const std::string html = render(report);
    const auto& org = report["organization"];
    const auto& run = report["run"];
    const auto& score = report["score"];
    const std::string name = org["name"];
    const std::string as_of = run["as_of"];
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"sv\">", 0), 0U);
    EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
    EXPECT_THAT(html, HasSubstr("<title>Informationssäkerhetsgranskning – " + escaped(name) +
                                " – " + as_of + "</title>"));
    // Header: organisation, kommunkod, population, size group, as-of, tool, hashes.
    EXPECT_EQ(name, "Exempelkommun");
    EXPECT_THAT(html, HasSubstr("<h1>Exempelkommun</h1>"));
    EXPECT_THAT(html, HasSubstr("<dd>" + org["municipality_code"].get<std::string>() + "</dd>"));
    ASSERT_EQ(org["population"], 45210);
    EXPECT_THAT(html, HasSubstr("<dd>45\u00a0210</dd>"));
    EXPECT_THAT(html, HasSubstr("<dd>" + escaped(org["size_group"]) + "</dd>"));
    EXPECT_THAT(html, HasSubstr("<dd>" + as_of + "</dd>"));
    EXPECT_THAT(html,
                HasSubstr("<dd>lisa " + report["tool"]["version"].get<std::string>() + "</dd>"));
    EXPECT_THAT(html, HasSubstr(run["rule_pack_sha256"].get<std::string>()));
    EXPECT_THAT(html, HasSubstr(run["inventory_sha256"].get<std::string>()));
    // Scores, coverage, counts, Annex A.
    EXPECT_THAT(html, HasSubstr(score_text(score["overall"]) + "<span class=\"of\">/ 100</span>"));
    EXPECT_THAT(html, HasSubstr(">" + score_text(score["overall_without_waivers"]) + "<"));
    ASSERT_EQ(score["coverage"], 1.0);
    EXPECT_THAT(html, HasSubstr(">100\u00a0%<"));
    const auto& counts = score["findings_by_status"];
    EXPECT_THAT(html, HasSubstr("Underkända<b>" + counts["fail"].dump() + "</b>"));
    EXPECT_THAT(html, HasSubstr("Godkända<b>" + counts["pass"].dump() + "</b>"));
    EXPECT_THAT(html, HasSubstr("Riskaccepterade<b>" + counts["waived"].dump() + "</b>"));
    const auto& annex_a = report["frameworks"][0];
    EXPECT_THAT(html, HasSubstr("Täckning av " + escaped(annex_a["title"])));
    EXPECT_THAT(html, HasSubstr("<b>" + annex_a["evidenced"].dump() + " av " +
                                annex_a["controls"].dump() + "</b>"));
    // Areas as an SVG bar chart with score and coverage labels.
    const std::string areas = between(html, "<section id=\"areas\">", "</section>");
    EXPECT_THAT(areas, HasSubstr("<svg class=\"chart\""));
    for (const auto& area : score["areas"]) {
        if (area["id"] == "klassning") {
            EXPECT_THAT(areas, HasSubstr(">Informationsklassning</text>"));
            EXPECT_THAT(areas, HasSubstr(">" + score_text(area["score"]) + "</text>"));
        }
    }
    EXPECT_THAT(areas, HasSubstr(">Täckning 100\u00a0%</text>"));
    // Failing rules, with subject, message, evidence and remediation.
    const std::string failing = between(html, "<section id=\"failing\">", "</section>");
    const auto& fail = first_finding(report, "fail");
    EXPECT_THAT(failing, HasSubstr("<code class=\"rid\">" + fail["rule"].get<std::string>() +
                                   "</code><span class=\"title\">" + escaped(fail["title"]["sv"]) +
                                   "</span>"));
    EXPECT_THAT(failing, HasSubstr(escaped(fail["subject_name"])));
    // The result worded from the label catalogue, not the engine's English message.
    const lisa::ReportDocument typed = lisa::html_test::document_of(report);
    for (const auto& f : typed.findings) {
        if (f.rule == fail["rule"] && f.subject == fail["subject"]) {
            ASSERT_FALSE(f.result.clauses.empty());
            EXPECT_THAT(failing, HasSubstr(escaped(lisa::Labels::builtin().result(f.result, "sv"))));
        }
    }
    EXPECT_THAT(failing, Not(HasSubstr(escaped(fail["message"]))));
    for (const auto& [fact, entry] : fail["evidence"].items()) {
        // The fact in words, its id kept in the title attribute.
        EXPECT_THAT(failing, HasSubstr("<span class=\"fact\" title=\"" + escaped(fact) + "\">" +
                                           escaped(lisa::Labels::builtin().fact(fact, "sv")) + "</span>"));
        EXPECT_THAT(failing, HasSubstr(escaped(entry["source"])));
    }
    for (const auto& rule : report["rules"]) {
        if (rule["id"] == fail["rule"]) {
            EXPECT_THAT(failing, HasSubstr(escaped(rule["remediation"]["sv"])));
        }
    }
    EXPECT_THAT(failing, HasSubstr("<span class=\"prov prov-document\">dokument</span>"));
    EXPECT_THAT(failing, HasSubstr("<span class=\"prov prov-declared\">deklarerad</span>"));
    // A waived finding is not a failing rule (unless the rule also fails elsewhere).
    const auto& waived = first_finding(report, "waived");
    bool rule_also_fails = false;
    for (const auto& f : report["findings"]) {
        rule_also_fails |= f["rule"] == waived["rule"] && f["status"] == "fail";
    }
    if (!rule_also_fails) {
        EXPECT_THAT(failing, Not(HasSubstr(waived["rule"].get<std::string>())));
    }
    EXPECT_EQ(structure_problem(html), "");
}

TEST(HtmlReport, HasEverySectionInOrderInSwedish) {
    const std::string html = render_lang(golden(), "sv");
    expect_headings_in_order(html, kHeadingsSv);
    EXPECT_THAT(html, HasSubstr("<html lang=\"sv\">"));
}

TEST(HtmlReport, HasEverySectionInOrderInEnglish) {
    const std::string html = render_lang(golden(), "en");
    expect_headings_in_order(html, kHeadingsEn);
    EXPECT_THAT(html, HasSubstr("<html lang=\"en\">"));
    for (const auto& h : kHeadingsSv) {
        EXPECT_THAT(html, Not(HasSubstr(h)));
    }
    EXPECT_EQ(structure_problem(html), "");
}

TEST(HtmlReport, NamesEveryAreaByThePacksTitleNeverByItsId) {
    // The katalog area once reached the board report as the raw id "katalog".
    const std::string sv = render_lang(golden(), "sv");
    const std::string en = render_lang(golden(), "en");
    EXPECT_THAT(sv, HasSubstr(">Katalogtjänst och behörigheter<"));
    EXPECT_THAT(en, HasSubstr(">Directory service and access rights<"));
    // Where an area is named: the score table, the chart's labels, the failing rules' headings.
    for (const std::string id : {"katalog", "klassning", "lis", "tls", "autentisering", "kommunikation"}) {
        for (const std::string& place : {"<td>" + id + "</td>", ">" + id + "</text>", "<h3>" + id + "<"}) {
            EXPECT_THAT(sv, Not(HasSubstr(place))) << place;
            EXPECT_THAT(en, Not(HasSubstr(place))) << place;
        }
    }
    // A report from before the pack declared its areas still renders: the id stands in.
    ReportJson old = golden();
    for (auto& area : old["score"]["areas"]) {
        area.erase("title");
    }
    EXPECT_THAT(render_lang(old, "sv"), HasSubstr("<td>katalog</td>"));
}

TEST(HtmlReport, UsesTheChosenLanguageForRuleTitlesAndRemediation) {
    const ReportJson report = golden();
    const std::string sv = render_lang(report, "sv");
    const std::string en = render_lang(report, "en");
    const auto& fail = first_finding(report, "fail");
    for (const auto& rule : report["rules"]) {
        if (rule["id"] != fail["rule"]) {
            continue;
        }
        const std::string title_sv = escaped(rule["title"]["sv"]);
        const std::string title_en = escaped(rule["title"]["en"]);
        const std::string remedy_sv = escaped(rule["remediation"]["sv"]);
        const std::string remedy_en = escaped(rule["remediation"]["en"]);
        EXPECT_THAT(sv, HasSubstr(title_sv));
        EXPECT_THAT(sv, HasSubstr(remedy_sv));
        EXPECT_THAT(sv, Not(HasSubstr(remedy_en)));
        EXPECT_THAT(en, HasSubstr(title_en));
        EXPECT_THAT(en, HasSubstr(remedy_en));
        EXPECT_THAT(en, Not(HasSubstr(remedy_sv)));
    }
    EXPECT_THAT(en, HasSubstr(">" + score_text(report["score"]["overall"], "en") + "<"));
    EXPECT_THAT(en, HasSubstr("<dd>45,210</dd>"));
    EXPECT_THAT(en, HasSubstr("<span class=\"prov prov-declared\">declared</span>"));
}

TEST(HtmlReport, EscapesEverythingFromTheReport) {
    const std::string html = render(hostile());
    EXPECT_THAT(html, Not(HasSubstr("<script")));
    EXPECT_THAT(html, Not(HasSubstr("<img")));
    EXPECT_THAT(html, Not(HasSubstr("<b>Nämnd</b>")));
    EXPECT_THAT(html, HasSubstr("<h1>&lt;script&gt;alert(1)&lt;/script&gt; Kommun "
                                "&quot;Citat&quot; &amp; &#39;Apostrof&#39;</h1>"));
    EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(2)&lt;/script&gt;"));
    EXPECT_THAT(html, HasSubstr("x&quot; onmouseover=&quot;alert(3)"));
    EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(4)&gt;"));
    EXPECT_THAT(
        html,
        HasSubstr("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(5)&lt;/script&gt;"));
    EXPECT_THAT(html, HasSubstr("evidence/&#39;quoted&quot;.md"));
    // The system named <script> in the action plan.
    EXPECT_THAT(between(html, "<section id=\"action-plan\">", "</section>"),
                HasSubstr("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"));
    // In the title and the generator meta (attribute-free text and attribute values).
    EXPECT_THAT(html, HasSubstr("<title>Informationssäkerhetsgranskning – &lt;script&gt;"));
    EXPECT_EQ(structure_problem(html), "");
}

TEST(HtmlReport, EscapesAttributeValuesAndControlCharacters) {
    ReportJson report = golden();
    report["tool"]["version"] = "1\" onload=\"x";
    report["indicators"][0]["national"]["distribution"] = {{"\"><svg onload=alert(1)>", 60.0}};
    report["organization"]["name"] = std::string(
        "A\x01"
        "B\xff"
        "C");
    const std::string html = render(report);
    EXPECT_THAT(html, HasSubstr("content=\"lisa 1&quot; onload=&quot;x\""));
    EXPECT_THAT(html, Not(HasSubstr("<svg onload")));
    EXPECT_THAT(html, HasSubstr("aria-label=\"Riket, &quot;&gt;&lt;svg onload=alert(1)&gt; 60"));
    EXPECT_THAT(html, HasSubstr("<h1>A\xEF\xBF\xBD"
                                "B\xEF\xBF\xBD"
                                "C</h1>"));
    EXPECT_EQ(structure_problem(html), "");
}

TEST(HtmlReport, HasNoScriptAndNoRemoteAsset) {
    for (const char* lang : {"sv", "en"}) {
        for (const ReportJson& report : {golden(), hostile()}) {
            const std::string html = render_lang(report, lang);
            EXPECT_THAT(html, Not(HasSubstr("<script")));
            EXPECT_THAT(html, Not(HasSubstr("javascript:")));
            EXPECT_THAT(html, Not(HasSubstr("@import")));
            EXPECT_THAT(html, Not(HasSubstr("url(")));
            EXPECT_FALSE(std::regex_search(
                html, std::regex(R"(\s(src|href|xlink:href|action)\s*=\s*["']?\s*(https?:)?//)")));
            EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^>]*\son[a-z]+\s*=)")));
            // Every link is internal, and nothing is loaded at all.
            EXPECT_FALSE(std::regex_search(html, std::regex(R"(\shref="[^#])")));
            EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^>]*\ssrc=)")));
            // URLs the report mentions (a probed endpoint) are text, never inside a tag.
            EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^>]*(https?:)?//)")));
            EXPECT_THAT(html, HasSubstr("Content-Security-Policy\" content=\"default-src 'none'"));
        }
    }
}

TEST(HtmlReport, PrintsOnA4WithPageBreaksAndColours) {
    const std::string html = render(golden());
    EXPECT_THAT(html, HasSubstr("@page{size:A4;margin:"));
    EXPECT_THAT(html, HasSubstr("print-color-adjust:exact"));
    EXPECT_THAT(html, HasSubstr("@media print{"));
    EXPECT_THAT(html, HasSubstr("h2.major{break-before:page}"));
    EXPECT_THAT(html, HasSubstr("tr{break-inside:avoid}"));
    // The failing rules, the action plan and the appendix each start a page.
    EXPECT_EQ(count(html, "<h2 class=\"major\">"), 3U);
    EXPECT_THAT(html, HasSubstr("<h2 class=\"major\">Underkända regler</h2>"));
    EXPECT_THAT(html, HasSubstr("<h2 class=\"major\">Åtgärdsplan</h2>"));
}

// A numpunct with a decimal comma and grouping: a global locale must not leak into the output.
struct CommaNumpunct : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
};

TEST(HtmlReport, IsDeterministic) {
    RenderOptions options;
    options.trend = {{"2025-11-20", 70.5}, {"2026-05-20", 76.25}};
    const std::string first = render(golden(), options);
    EXPECT_EQ(first, render(golden(), options));
    const std::locale previous =
        std::locale::global(std::locale(std::locale::classic(), new CommaNumpunct));
    const std::string under_other_locale = render(golden(), options);
    std::locale::global(previous);
    EXPECT_EQ(first, under_other_locale);
}

TEST(HtmlReport, ShowsTheTrendOnlyWithAtLeastTwoPoints) {
    const ReportJson report = golden();
    const std::string as_of = report["run"]["as_of"];
    const double overall = report["score"]["overall"];
    const auto trend_section = [&](const RenderOptions& options) {
        return between(render(report, options), "<section id=\"trend\">", "</section>");
    };
    RenderOptions none;
    EXPECT_THAT(trend_section(none), Not(HasSubstr("<svg")));
    EXPECT_THAT(trend_section(none), HasSubstr("Ingen historik ännu"));

    RenderOptions only_current;  // the history holds this audit alone: still one point
    only_current.trend = {{as_of, overall}};
    EXPECT_THAT(trend_section(only_current), Not(HasSubstr("<svg")));

    RenderOptions one_earlier;  // one earlier audit + this one
    one_earlier.trend = {{"2020-05-20", 74.0}};
    const std::string two = trend_section(one_earlier);
    EXPECT_THAT(two, HasSubstr("<svg class=\"chart trend\""));
    EXPECT_EQ(count(two, "<circle"), 2U);
    EXPECT_THAT(two, HasSubstr(">2020-05-20</text>"));
    EXPECT_THAT(two, HasSubstr(">" + as_of + "</text>"));
    EXPECT_THAT(two, HasSubstr(">74,00</text>"));
    EXPECT_THAT(two, HasSubstr(">" + score_text(overall) + "</text>"));
    EXPECT_THAT(two, Not(HasSubstr("Ingen historik")));

    RenderOptions same_day;  // scanned twice today, once earlier the same day: one point
    same_day.trend = {{as_of, 50.0}, {as_of, overall}};
    EXPECT_THAT(trend_section(same_day), Not(HasSubstr("<svg")));
    same_day.trend = {{"2020-05-20", 60.0}, {"2020-05-20", 74.0}, {as_of, 50.0}};
    const std::string deduplicated = trend_section(same_day);
    EXPECT_EQ(count(deduplicated, "<circle"), 2U);
    EXPECT_THAT(deduplicated, HasSubstr(">74,00</text>"));
    EXPECT_THAT(deduplicated, Not(HasSubstr(">60,00</text>")));
    EXPECT_THAT(deduplicated, HasSubstr(">" + score_text(overall) + "</text>"));  // the report's

    RenderOptions with_current;  // the current report already last: not added twice
    with_current.trend = {{"2019-11-20", 70.5}, {"2020-05-20", 74.0}, {as_of, overall}};
    EXPECT_EQ(count(trend_section(with_current), "<circle"), 3U);

    with_current.lang = "en";
    EXPECT_THAT(between(render(report, with_current), "<section id=\"trend\">", "</section>"),
                HasSubstr(">" + score_text(overall, "en") + "</text>"));
    RenderOptions none_en;
    none_en.lang = "en";
    EXPECT_THAT(render(report, none_en), HasSubstr("No history yet"));
}

// Issue 16 item 10: the x-axis is time, not the order of the audits. Audits a month apart sit
// close together, a year apart far; every area has its own line and legend entry beside the
// overall score; both axes are labelled in the report's language.
std::vector<double> circle_xs(const std::string& svg) {
    std::vector<double> xs;
    for (std::size_t at = svg.find("<circle cx=\""); at != std::string::npos; at = svg.find("<circle cx=\"", at + 1)) {
        xs.push_back(std::stod(svg.substr(at + 12)));
    }
    return xs;
}

TEST(HtmlReport, TrendChartIsTimeScaledAndShowsEveryArea) {
    const ReportJson report = golden();
    const std::string as_of = report["run"]["as_of"];  // 2026-11-22
    ASSERT_EQ(as_of, "2026-11-22");
    RenderOptions options;
    // 2024-11-22, a month later, then this audit two years after the first: 30 and 730 days.
    options.trend = {{"2024-11-22", 50.0, {{"autentisering", 40.0}, {"katalog", 20.0}}},
                     {"2024-12-22", 55.0, {{"autentisering", 45.0}, {"katalog", 25.0}}}};
    const std::string svg = between(render(report, options), "<section id=\"trend\">", "</section>");
    const std::vector<double> xs = circle_xs(svg);
    ASSERT_EQ(xs.size(), 3U) << svg;
    const double left = xs[0];
    const double width = xs[2] - xs[0];
    EXPECT_NEAR(xs[1] - left, width * 30.0 / 730.0, 0.15);  // not half-way, as equal spacing put it
    EXPECT_GT(xs[2] - xs[1], 20 * (xs[1] - xs[0]));
    // Every area with two or more scores: a line and a legend entry with the pack's title; the
    // report's own areas come from its score section.
    EXPECT_EQ(count(svg, "class=\"area-line\""), 2U) << "only areas scored at two or more audits";
    EXPECT_THAT(svg, HasSubstr("data-area=\"autentisering\""));
    EXPECT_THAT(svg, HasSubstr("data-area=\"katalog\""));
    EXPECT_THAT(svg, Not(HasSubstr("data-area=\"tls\"")));  // this audit alone scored it in the chart
    EXPECT_THAT(svg, HasSubstr(">Autentisering</text>"));
    EXPECT_THAT(svg, HasSubstr(">Katalogtjänst och behörigheter</text>"));
    EXPECT_THAT(svg, HasSubstr(">Totalpoäng</text>"));
    EXPECT_THAT(svg, HasSubstr(">Poäng (0–100)</text>"));
    EXPECT_THAT(svg, HasSubstr(">Granskningsdatum (tidsskala)</text>"));
    EXPECT_THAT(svg, Not(HasSubstr("<script")));
    options.lang = "en";
    const std::string en = between(render(report, options), "<section id=\"trend\">", "</section>");
    EXPECT_THAT(en, HasSubstr(">Score (0–100)</text>"));
    EXPECT_THAT(en, HasSubstr(">Audit date (time scale)</text>"));
    EXPECT_THAT(en, HasSubstr(">Overall score</text>"));
    EXPECT_THAT(en, Not(HasSubstr("Granskningsdatum")));

    // Equal dates apart: three audits a year apart each sit at equal distance (the time scale,
    // not a coincidence of the index).
    RenderOptions yearly;
    yearly.trend = {{"2024-11-22", 50.0}, {"2025-11-22", 55.0}};
    const std::vector<double> even = circle_xs(between(render(report, yearly), "<section id=\"trend\">", "</section>"));
    ASSERT_EQ(even.size(), 3U);
    EXPECT_NEAR(even[1] - even[0], even[2] - even[1], 1.5);  // 365 and 365 days
}

// A --system report has no trend: its score is of a few systems, not the organisation's.
TEST(HtmlReport, ASystemReportShowsNoTrend) {
    ReportJson report = golden();
    report["run"]["systems"] = ReportJson::array({"ifo"});
    RenderOptions options;
    options.trend = {{"2024-11-22", 50.0}};
    const std::string section = between(render(report, options), "<section id=\"trend\">", "</section>");
    EXPECT_THAT(section, Not(HasSubstr("<svg")));
}

TEST(HtmlReport, ShowsSurveyAnswersBesideTheFigures) {
    ReportJson report = golden();
    const std::string html = render(report);
    const std::string survey = between(html, "<section id=\"survey\">", "</section>");
    // One row per indicator, two figure captions each, the municipality's answer marked.
    EXPECT_EQ(count(survey, "<tr><td>"), report["indicators"].size());
    EXPECT_EQ(count(survey, "<div class=\"fig\">"), 2 * report["indicators"].size());
    EXPECT_THAT(survey, HasSubstr("<li class=\"mine\">"));
    std::size_t not_evidenced = 0;
    std::size_t not_asked = 0;
    for (const auto& ind : report["indicators"]) {
        if (ind["answer"].is_null() && ind.contains("not_asked")) {
            ++not_asked;  // the survey does not ask it here: "ej aktuellt", not "ej belagt"
        } else if (ind["answer"].is_null()) {
            ++not_evidenced;
        } else {
            EXPECT_THAT(survey,
                        HasSubstr("<span class=\"ans\">" + escaped(ind["answer"]) + "</span>"));
        }
        const auto& national = ind["national"];
        if (national.is_object() && national.contains("n") && national["n"].is_number()) {
            EXPECT_THAT(survey, HasSubstr("<b>Riket</b> " + national["year"].dump() +
                                          " · n = " + national["n"].dump() + " · källa " +
                                          escaped(national["source"])));
        }
        const auto& group = ind["size_group"];
        if (group.is_object() && group.contains("label")) {
            EXPECT_THAT(survey, HasSubstr("<b>Storleksgrupp " + escaped(group["label"]) + "</b> " +
                                          group["year"].dump()));
        }
    }
    // The golden has indicators without evidence: "ej belagt", one per such indicator.
    ASSERT_GT(not_evidenced, 0U);
    EXPECT_EQ(count(survey, "<span class=\"ans none\">ej belagt</span>"), not_evidenced);
    EXPECT_EQ(count(survey, "<span class=\"ans none\">ej aktuellt</span>"), not_asked);
    // Socialstyrelsen's caveat exactly once.
    EXPECT_EQ(count(html, "Generellt kan sägas att för stor vikt"), 1U);

    // The first indicator with evidence units: counted by provenance, failing units named.
    for (auto& ind : report["indicators"]) {
        const auto& units = ind["evidence"]["units"];
        if (units.empty() || ind["answer"].is_null()) {
            continue;
        }
        long long judged = 0;
        for (const auto& [prov, n] : ind["evidence"]["by_provenance"].items()) {
            judged += n.get<long long>();
        }
        const std::string scope = ind["scope"].is_string() ? ind["scope"].get<std::string>() : "";
        const std::string row_start =
            (scope.empty() ? "" : "<span class=\"scope\">" + escaped(scope) + "</span>") +
            "<div class=\"ind-id\"><code>" + ind["id"].get<std::string>() + "</code>";
        const std::string row = between(render(report), row_start, "</tr>");
        EXPECT_THAT(row, HasSubstr("<b>" + std::to_string(judged) + "</b> objekt bedömda ("));
        for (const auto& unit : units) {
            if (unit["verdict"] == "fail") {
                EXPECT_THAT(row, HasSubstr("<code>" + escaped(unit["subject"]) + "</code> ("));
            }
        }
        // Now without an answer: "ej belagt" in its row, nothing marked as the answer.
        ind["answer"] = nullptr;
        const std::string null_row = between(render(report), row_start, "</tr>");
        EXPECT_THAT(null_row, HasSubstr("ej belagt")) << row_start;
        EXPECT_THAT(null_row, Not(HasSubstr("<li class=\"mine\">")));
        EXPECT_THAT(render_lang(report, "en"),
                    HasSubstr("<span class=\"ans none\">not evidenced</span>"));
        break;
    }
}

// survey-fix item 4: a share strictly between 0 and 100 never prints as 0 or 100 (2499 of 2500 is
// 99.96 in the JSON report, 1 of 2500 is 0.04), else it contradicts "Mer än hälften" / "Färre än hälften".
TEST(HtmlReport, ShareNeverPrintsZeroOrHundredUnlessTheAnswerSaysSo) {
    ReportJson report = golden();
    bool set = false;
    for (auto& ind : report["indicators"]) {
        if (ind.contains("share_percent") && !set) {
            ind["answer"] = "Mer än hälften";
            ind["share_percent"] = 99.96;
            set = true;
        } else if (ind.contains("share_percent")) {
            ind["answer"] = "Färre än hälften";
            ind["share_percent"] = 0.04;
            break;
        }
    }
    ASSERT_TRUE(set);
    const std::string survey = between(render(report), "<section id=\"survey\">", "</section>");
    EXPECT_THAT(survey, HasSubstr("Mer än hälften</span> <span class=\"small muted\">99,96\u00a0%</span>"));
    EXPECT_THAT(survey, HasSubstr("Färre än hälften</span> <span class=\"small muted\">0,04\u00a0%</span>"));
    EXPECT_THAT(survey, Not(HasSubstr("<span class=\"small muted\">100\u00a0%</span>")));
    EXPECT_THAT(survey, Not(HasSubstr("<span class=\"small muted\">0\u00a0%</span>")));
}

// survey-fix item 5: the board report's survey section shows what `lisa survey` shows — each
// question's reference period, the editions note, the AUTH-006 caveat on the row it concerns, the
// 2023 report's order, why a row is "ej aktuellt", a title for every question — and no English in
// the Swedish report (the figures' notes and sources included).
TEST(HtmlReport, SurveySectionShowsPeriodEditionsCaveatsOrderAndReasonsInSwedish) {
    ReportJson report = golden();
    // An area whose provider activity is handed over (driftsform): not asked, with the reason.
    for (auto& ind : report["indicators"]) {
        if (ind["id"] == "SEC-AUTH-USE-UTF") {
            ind["answer"] = nullptr;
            ind["not_asked"] = "drift: helt_overlaten";
            break;
        }
    }
    const std::string html = render(report);
    const std::string survey = between(html, "<section id=\"survey\">", "</section>");
    EXPECT_THAT(survey, HasSubstr("Enkäten 2026, läget per 2026-11-22"));
    EXPECT_THAT(survey, HasSubstr("Enkäten 2026, frågar om året 2025"));
    EXPECT_THAT(survey, HasSubstr("rapporten 2025 (001) redovisar dem inte"));
    EXPECT_THAT(survey, HasSubstr("<span class=\"ans none\">ej aktuellt</span><div class=\"small muted not-asked\">"
                                  "all utförarverksamhet i området är överlåten till annan juridisk person</div>"));
    // The caveat on SEC-AUTH-EXT's row only, in Swedish.
    const std::string ext = between(survey, "<code>SEC-AUTH-EXT</code>", "</tr>");
    const std::string in = between(survey, "<code>SEC-AUTH-INT</code>", "</tr>");
    EXPECT_THAT(ext, HasSubstr("<b>OBS</b> <code>AUTH-006</code> <code>sabo/personal</code>: deklarerat krav på stark "
                               "autentisering, men katalogen visar 297 av 297 aktiva konton utan stark autentisering"));
    EXPECT_THAT(in, Not(HasSubstr("AUTH-006")));
    // Titles, never bare ids, for every question.
    EXPECT_THAT(survey, HasSubstr("<b>Rutiner för riskanalyser i ledningssystemet för kvalitet (välfärdsteknik)</b>"));
    EXPECT_THAT(survey, HasSubstr("<b>Nivå där åtgärder efter riskuppföljningen redovisas och beslutas</b>"));
    EXPECT_THAT(survey, Not(HasSubstr("<b>QMS-RISK</b>")));
    EXPECT_THAT(survey, Not(HasSubstr("<b>SEC-RISK-NIVA</b>")));
    // The 2023 report's order, as `lisa survey` prints it.
    const std::vector<std::string> order = {"QMS-RISK", "SEC-LIS", "SEC-RISK", "SEC-RISK-NIVA", "SEC-CLASS",
                                            "SEC-SECCOM-SOC", "SEC-SECCOM-HSL", "SEC-AUTH-EXT", "SEC-AUTH-INT",
                                            "SEC-AUTH-USE-MYN", "SEC-AUTH-USE-UTF"};
    std::size_t last = 0;
    for (const auto& id : order) {
        const auto at = survey.find("<div class=\"ind-id\"><code>" + id + "</code>");
        ASSERT_NE(at, std::string::npos) << id;
        EXPECT_GT(at, last) << id << " out of the 2023 report's order";
        last = at;
    }
    // No English in the Swedish report; the English report keeps the notes as written.
    for (const char* english : {"Alternatives as printed", "Any (alla+delvis)", "n not printed", "body text",
                                "declared strong authentication", "responding municipalities"}) {
        EXPECT_THAT(survey, Not(HasSubstr(english))) << english;
    }
    EXPECT_THAT(survey, HasSubstr("Svarsalternativ i källan: "));
    const std::string en = between(render_lang(report, "en"), "<section id=\"survey\">", "</section>");
    EXPECT_THAT(en, HasSubstr("Alternatives as printed"));
    EXPECT_THAT(en, HasSubstr("NOTE</b> <code>AUTH-006</code>"));
    EXPECT_THAT(en, HasSubstr("Survey 2026, asks about the year 2025"));
    EXPECT_THAT(en, HasSubstr("all provider activity in the area is handed to another legal person"));
}

TEST(HtmlReport, KeepsErrorsApartFromFailures) {
    ReportJson report = golden();
    ReportJson& f = first_finding(report, "fail");
    f["status"] = "error";
    f["message"] = "probe 'document' failed: permission denied";
    const std::string rule = f["rule"];
    report["run"]["complete"] = false;
    const std::string html = render(report);
    const std::string errors = between(html, "<section id=\"errors\">", "</section>");
    const std::string failing = between(html, "<section id=\"failing\">", "</section>");
    EXPECT_THAT(errors, HasSubstr("probe &#39;document&#39; failed: permission denied"));
    EXPECT_THAT(errors, HasSubstr("<code class=\"rid\">" + rule + "</code>"));
    EXPECT_THAT(failing, Not(HasSubstr("permission denied")));
    EXPECT_THAT(html, HasSubstr("<p class=\"banner warn\">"));
    EXPECT_THAT(render(golden()), HasSubstr("Inga: alla kontroller kunde genomföras."));
    EXPECT_THAT(render(golden()), Not(HasSubstr("<p class=\"banner warn\">")));
}

TEST(HtmlReport, ListsWaiversInForceAndExpired) {
    const ReportJson report = golden();
    const std::string waivers = between(render(report), "<section id=\"waivers\">", "</section>");
    std::set<std::string> states;
    for (const auto& w : report["waivers"]) {
        states.insert(w["state"].get<std::string>());
        for (const char* key :
             {"rule", "subject", "decided_by", "decision_ref", "expires", "reason"}) {
            EXPECT_THAT(waivers, HasSubstr(escaped(w[key]))) << key;
        }
    }
    ASSERT_EQ(states.count("active"), 1U) << "the golden has a waiver in force";
    ASSERT_EQ(states.count("expired"), 1U) << "the golden has an expired waiver";
    EXPECT_THAT(waivers, HasSubstr("<span class=\"badge active\">gällande</span>"));
    EXPECT_THAT(waivers, HasSubstr("<span class=\"badge expired\">utgången</span>"));
    EXPECT_LT(waivers.find("gällande"), waivers.find("utgången"));
}

TEST(HtmlReport, ActionPlanListsEveryFailureBySeverityThenRule) {
    const ReportJson report = golden();
    const std::string plan = between(render(report), "<section id=\"action-plan\">", "</section>");
    std::size_t fails = 0;
    std::size_t waived = 0;
    for (const auto& f : report["findings"]) {
        fails += f["status"] == "fail" ? 1 : 0;
        waived += f["status"] == "waived" ? 1 : 0;
    }
    EXPECT_EQ(count(plan, "<span class=\"item\">"), fails + waived);
    EXPECT_THAT(plan,
                HasSubstr("<span class=\"item\">" + std::to_string(fails + waived) + "</span>"));
    EXPECT_EQ(count(plan, "<tr class=\"waived\">"), waived);
    const auto& w = first_finding(report, "waived");
    EXPECT_THAT(plan, HasSubstr("Riskaccepterad t.o.m. <span class=\"nowrap\">" +
                                w["waiver"]["expires"].get<std::string>() + "</span> (" +
                                escaped(w["waiver"]["decision_ref"]) + ")"));
    // Rows in order: severity (critical first), then rule id.
    const std::regex row(
        R"re(<span class="sev sev-([a-z]+)">[^<]*</span></td><td>(?:<a [^>]*>)?<code class="rid">([^<]*)</code>)re");
    const std::vector<std::string> order = {"crit", "high", "med", "low", "info"};
    std::vector<std::pair<long, std::string>> keys;
    for (auto it = std::sregex_iterator(plan.begin(), plan.end(), row);
         it != std::sregex_iterator(); ++it) {
        const auto rank = std::find(order.begin(), order.end(), (*it)[1].str()) - order.begin();
        keys.emplace_back(static_cast<long>(rank), (*it)[2].str());
    }
    EXPECT_EQ(keys.size(), fails + waived);
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    // Owner and system of the first failing finding.
    const auto& fail = first_finding(report, "fail");
    if (fail["owner"].is_string()) {
        EXPECT_THAT(plan, HasSubstr("<td>" + escaped(fail["owner"]) + "</td>"));
    }
    if (fail["system"].is_string()) {
        EXPECT_THAT(plan, HasSubstr("<td><code>" + escaped(fail["system"]) + "</code></td>"));
    }
}

TEST(HtmlReport, AppendixListsEveryEvidenceFileAndProbe) {
    const ReportJson report = golden();
    const std::string appendix = between(render(report), "<section id=\"appendix\">", "</section>");
    for (const auto& f : report["evidence_files"]) {
        EXPECT_THAT(appendix, HasSubstr("<code>" + f["path"].get<std::string>() + "</code>"));
        if (f["sha256"].is_string()) {
            EXPECT_THAT(appendix, HasSubstr(f["sha256"].get<std::string>()));
        }
    }
    for (const auto& p : report["probes"]) {
        EXPECT_THAT(appendix, HasSubstr("<code>" + p["target"].get<std::string>() + "</code>"));
    }
    EXPECT_THAT(appendix, HasSubstr("<span class=\"badge no\">nej</span>"));
}

TEST(HtmlReport, RendersAnEmptyOrOddReportWithoutThrowing) {
    // What is not an object is no report: report_from_json refuses it before any renderer.
    for (const char* text : {"[]", "null", "42", "\"report\""}) {
        EXPECT_FALSE(lisa::report_from_json(text)) << text;
    }
    for (const char* text :
         {"{}", R"({"score": {"areas": [{"id": "x", "score": null}]},
        "findings": [{"status": "fail"}, {"status": "error", "evidence": [1]}],
        "indicators": [{"answer": null, "national": {"distribution": {"Ja": "many"}}}],
        "waivers": [{}], "organization": {"population": "many"}})",
          R"({"organization": {"population": -9223372036854775808}, "score": {"overall": -0.001,
              "coverage": 7, "rules_judged": 1e300}, "frameworks": [{"controls": 0}]})"}) {
        const ReportJson report = ReportJson::parse(text);
        std::string html;
        EXPECT_NO_THROW(html = render(report)) << text;
        EXPECT_EQ(structure_problem(html), "") << text;
        EXPECT_THAT(html, HasSubstr("</html>"));
    }
    const std::string area = between(
        render(ReportJson::parse(R"({"score": {"areas": [{"id": "lis", "score": null}]}})")),
        "<section id=\"areas\">", "</section>");
    EXPECT_THAT(area, HasSubstr(">–</text>"));
}

}  // namespace


// Issue 16 item 8: a failing count names the accounts behind it, in the rule card and in the
// action plan, capped at 20 with the number of the rest (the golden example: 25 stale accounts
// in hemtjanst-mobil/personal); a passing finding names nobody.
TEST(HtmlReport, NamesTheAccountsBehindAFailingCount) {
    const ReportJson report = golden();
    const std::string html = render(report);
    std::string names;
    for (int i = 575; i <= 594; ++i) names += (names.empty() ? "htj0" : ", htj0") + std::to_string(i);
    const std::string line = "<div class=\"accounts\"><b>Konton:</b> " + names + " och 5 till</div>";
    EXPECT_THAT(between(html, "<section id=\"action-plan\">", "</section>"), HasSubstr(line));
    EXPECT_THAT(html, HasSubstr(line + "</td><td>"));  // the rule card, beside the message
    EXPECT_EQ(html.find("htj0595"), std::string::npos) << "more than 20 names shown";
    EXPECT_THAT(render_lang(report, "en"), HasSubstr("<b>Accounts:</b> htj0575"));
}

