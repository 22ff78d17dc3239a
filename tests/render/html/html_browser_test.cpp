// SPDX-License-Identifier: Apache-2.0
// The HTML report in a real browser: headless Chromium renders the golden report to a PNG,
// prints it to PDF and dumps the DOM of a hostile report, where the <script> text must be text.
// Chromium is required (Debian package `chromium`): without it these tests fail, they do not skip.
// Set LISA_HTML_ARTIFACTS=DIR to keep the HTML, PNG and PDF files for a look.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "html_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using RenderOptions = lisa::html_test::Options;
using lisa::html_test::golden;
using lisa::html_test::hostile;
using lisa::html_test::render;
using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

/// The executable's full path when it is in PATH, else empty.
std::string find_in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string dir = dirs.substr(start, end - start);
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    return {};
}

class HtmlInBrowser : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(find_in_path("chromium").empty())
            << "chromium is not installed: the HTML report tests need a real browser. Install the "
               "Debian package: apt-get install -y chromium (scripts/setup installs it for CI)";
    }

    /// Runs headless Chromium on file://html with the given extra arguments; its exit status.
    int chromium(const std::vector<std::string>& extra, const std::string& html_file,
                 std::string* output) {
        // The browser only displays what lisa wrote; it runs on the real clock even when the
        // suite runs with the clock moved ahead (scripts/test clock-ahead): Chromium's own timers
        // stall under libfaketime, and nothing in the page depends on the browser's clock.
        std::vector<std::string> argv = {"env",
                                         "-u",
                                         "LD_PRELOAD",
                                         "-u",
                                         "FAKETIME",
                                         "timeout",
                                         "60",
                                         "chromium",
                                         "--headless",
                                         "--no-sandbox",
                                         "--disable-gpu",
                                         "--no-first-run",
                                         "--disable-background-networking",
                                         "--disable-component-update",
                                         "--disable-sync",
                                         "--user-data-dir=" + profile_.path()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back("file://" + html_file);
        return run_command(argv, output);
    }

    void keep(const std::string& file) {
        if (const char* dir = std::getenv("LISA_HTML_ARTIFACTS"); dir != nullptr && *dir != '\0') {
            fs::create_directories(dir);
            fs::copy_file(file, fs::path(dir) / fs::path(file).filename(),
                          fs::copy_options::overwrite_existing);
        }
    }

    TempDir dir_;
    TempDir profile_;
};

TEST_F(HtmlInBrowser, ScreenshotOfTheGoldenReport) {
    const std::string html = dir_.file("report-sv.html");
    RenderOptions options;
    options.trend = {{"2025-11-20", 70.5}, {"2026-05-20", 76.25}};
    write_file(html, render(golden(), options));
    keep(html);
    const std::string png = dir_.file("report-sv.png");
    std::string log;
    const int status = chromium({"--screenshot=" + png, "--window-size=1280,2000"}, html, &log);
    ASSERT_EQ(status, 0) << log;
    ASSERT_TRUE(fs::exists(png)) << log;
    const std::string bytes = read_file(png);
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_GT(bytes.size(), 50'000U) << "a 1280x2000 screenshot of the report is larger";
    EXPECT_LT(bytes.size(), 20'000'000U);
    keep(png);
}

TEST_F(HtmlInBrowser, PrintsTheGoldenReportToPdf) {
    const std::string html = dir_.file("report-en.html");
    RenderOptions options;
    options.lang = "en";
    write_file(html, render(golden(), options));
    keep(html);
    const std::string pdf = dir_.file("report-en.pdf");
    std::string log;
    const int status = chromium({"--print-to-pdf=" + pdf, "--no-pdf-header-footer"}, html, &log);
    ASSERT_EQ(status, 0) << log;
    ASSERT_TRUE(fs::exists(pdf)) << log;
    const std::string bytes = read_file(pdf);
    EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
    EXPECT_GT(bytes.size(), 30'000U);
    EXPECT_LT(bytes.size(), 20'000'000U);
    EXPECT_THAT(bytes, HasSubstr("%%EOF"));
    // A4 pages (595 x 842 pt), several: the major sections start a page of their own.
    const std::regex a4(R"(/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\])");
    const auto pages =
        std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), a4), std::sregex_iterator());
    EXPECT_GE(pages, 4) << "A4 pages in the PDF";
    keep(pdf);
}

// Issue 16 item 7, "done when": page one of the PDF, as pdftotext reads it, is the board's page
// in Swedish — the verdict, the risks, the change and what could not be checked — with no English
// word, rule id, fact name, file:line or regular expression; and page two is another section.
TEST_F(HtmlInBrowser, PageOneOfThePdfIsPlainSwedish) {
    ASSERT_FALSE(find_in_path("pdftotext").empty()) << "pdftotext is needed: apt-get install -y poppler-utils";
    auto report = golden();
    report["board_target"] = {{"target_score", 85}, {"amber_from", 70}};
    RenderOptions options;
    options.trend = {{"2025-11-20", 70.5}};
    const std::string html = dir_.file("board-sv.html");
    write_file(html, render(report, options));
    keep(html);
    const std::string pdf = dir_.file("board-sv.pdf");
    std::string log;
    ASSERT_EQ(chromium({"--print-to-pdf=" + pdf, "--no-pdf-header-footer"}, html, &log), 0) << log;
    keep(pdf);
    const std::string page1 = dir_.file("page1.txt");
    const std::string page2 = dir_.file("page2.txt");
    ASSERT_EQ(run_command({"pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", pdf, page1}, &log), 0) << log;
    ASSERT_EQ(run_command({"pdftotext", "-f", "2", "-l", "2", "-enc", "UTF-8", pdf, page2}, &log), 0) << log;
    const std::string text = read_file(page1);
    EXPECT_THAT(text, HasSubstr("Läget i korthet"));
    EXPECT_THAT(text, HasSubstr("Gult – nära målet"));
    EXPECT_THAT(text, HasSubstr("De allvarligaste riskerna"));
    EXPECT_THAT(text, HasSubstr("Förändring sedan förra granskningen"));
    EXPECT_THAT(text, HasSubstr("Det som inte kunde kontrolleras"));
    EXPECT_THAT(lisa::html_test::board_problems(text, report), ::testing::IsEmpty()) << text;
    EXPECT_THAT(read_file(page2), Not(HasSubstr("Läget i korthet"))) << "page one is one page";
    EXPECT_THAT(read_file(page2), HasSubstr("Åtgärdsplan")) << "the action plan follows page one";
}

TEST_F(HtmlInBrowser, DomShowsTheReportAndScriptAsText) {
    const std::string html = dir_.file("hostile.html");
    write_file(html, render(hostile()));
    keep(html);
    std::string dom;
    const int status = chromium({"--dump-dom"}, html, &dom);
    ASSERT_EQ(status, 0) << dom;
    // The browser parsed our text as text: serialised back, it is escaped, never an element.
    EXPECT_THAT(
        dom,
        HasSubstr(
            "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Kommun \"Citat\" &amp; 'Apostrof'</h1>"));
    EXPECT_THAT(dom, HasSubstr("&lt;script&gt;alert(2)&lt;/script&gt;"));
    EXPECT_THAT(dom, HasSubstr("&lt;img src=x onerror=alert(4)&gt;"));
    EXPECT_THAT(dom, Not(HasSubstr("<script")));
    EXPECT_THAT(dom, Not(HasSubstr("<img")));
    // No element got an event handler: the quotes in the message stayed inside its text.
    EXPECT_FALSE(std::regex_search(dom, std::regex(R"(<[a-z][^<>]*\son[a-z]+=)")));
    EXPECT_THAT(dom, HasSubstr("x\" onmouseover=\"alert(3)</td>"));
    const std::string rule = lisa::html_test::first_finding(golden(), "fail")["rule"];
    EXPECT_THAT(dom, HasSubstr("<code class=\"rid\">" + rule + "</code>"));
    EXPECT_THAT(dom, HasSubstr("Underkända regler"));
    EXPECT_THAT(dom, HasSubstr("Åtgärdsplan"));
    // The sections the parser saw close where they should: the hostile waiver reason did not
    // end the waivers table early, so the action plan still follows it as a section.
    EXPECT_THAT(dom, HasSubstr("<section id=\"action-plan\">"));
}

// Measures in the browser how far the page is wider than its window (a test-only script is
// added to a copy of the report; the report itself has none). <= 0: nothing sticks out.
int overflow_px(const std::string& dom) {
    std::smatch m;
    if (!std::regex_search(dom, m, std::regex(R"re(data-overflow="(-?\d+)")re"))) {
        return 1'000'000;
    }
    return std::stoi(m[1].str());
}

TEST_F(HtmlInBrowser, UnbrokenFiveHundredCharacterTokensNeverWidenThePage) {
    // Peer- and inventory-supplied text without a break opportunity: a 500-character token
    // (a base64 blob, a DN, a URL) in the organisation name, finding messages, subject names,
    // evidence values and sources, and a waiver reason.
    std::string token;
    for (int i = 0; i < 50; ++i) {
        token += "AbCdEfGhIj";
    }
    auto report = golden();
    report["organization"]["name"] = "Kommun" + token;
    for (auto& finding : report["findings"]) {
        finding["message"] = "CN=" + token;
        finding["subject_name"] = token;
        for (auto& [name, fact] : finding["evidence"].items()) {
            (void)name;
            fact["value"] = token;
            fact["source"] = "ldap://" + token;
        }
    }
    for (auto& waiver : report["waivers"]) {
        waiver["reason"] = token;
    }
    for (const std::string width : {"1280", "800"}) {
        std::string html = render(report);
        // The measuring copy drops the report's CSP (which forbids every script) and adds one.
        const auto csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
        ASSERT_NE(csp, std::string::npos);
        html.erase(csp, html.find('>', csp) + 1 - csp);
        const auto body_end = html.rfind("</body>");
        ASSERT_NE(body_end, std::string::npos);
        html.insert(body_end,
                    "<script>document.body.setAttribute('data-overflow', String("
                    "document.documentElement.scrollWidth - window.innerWidth));</script>");
        const std::string file = dir_.file("long-token-" + width + ".html");
        write_file(file, html);
        keep(file);
        std::string dom;
        ASSERT_EQ(chromium({"--dump-dom", "--window-size=" + width + ",2000"}, file, &dom), 0) << dom.substr(0, 2000);
        EXPECT_LE(overflow_px(dom), 0) << "the page is wider than a " << width << " px window";
        EXPECT_THAT(dom, HasSubstr(token));  // shown whole, not cut
    }
}

}  // namespace
