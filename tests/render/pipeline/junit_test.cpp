// SPDX-License-Identifier: Apache-2.0
// render_junit: schema-valid (xmllint --schema junit.xsd), counts that add up, failures and
// errors distinct, waivers as skipped with their decision, and well-formed XML whatever the
// report's text contains. xmllint comes from the Debian package libxml2-utils.
#include "pipeline_test_util.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

namespace lisa {
namespace {

using pipeline_test::count_status;
using pipeline_test::example_report;
using pipeline_test::render;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kSchema = pipeline_test::source_path("tests/render/pipeline/junit.xsd");

/// The rendered XML in a temporary file, queried with xmllint.
class JunitDoc {
public:
    explicit JunitDoc(const ReportJson& report, const std::string& lang = "sv")
        : xml_(render(render_junit, report, lang)) {
        testing_support::write_file(path(), xml_);
    }
    [[nodiscard]] const std::string& xml() const { return xml_; }
    [[nodiscard]] std::string path() const { return dir_.file("junit.xml"); }

    /// The value of an XPath expression (string or number), without xmllint's final newline.
    [[nodiscard]] std::string xpath(const std::string& expr) const {
        auto r = pipeline_test::run_tool({"xmllint", "--xpath", expr, path()});
        EXPECT_EQ(r.status, 0) << expr << ": " << r.output;
        if (!r.output.empty() && r.output.back() == '\n') {
            r.output.pop_back();
        }
        return r.output;
    }
    [[nodiscard]] long number(const std::string& expr) const {
        const std::string s = xpath(expr);
        try {
            return std::stol(s);
        } catch (const std::exception&) {
            ADD_FAILURE() << expr << " is not a number: " << s;
            return -1;
        }
    }

private:
    testing_support::TempDir dir_;
    std::string xml_;
};

void expect_well_formed(const JunitDoc& doc) {
    const auto r = pipeline_test::run_tool({"xmllint", "--noout", doc.path()});
    EXPECT_EQ(r.status, 0) << r.output;
}

void expect_schema_valid(const JunitDoc& doc) {
    const auto r = pipeline_test::run_tool({"xmllint", "--noout", "--schema", kSchema, doc.path()});
    EXPECT_EQ(r.status, 0) << r.output << "\n" << doc.xml().substr(0, 2000);
}

/// The example with one finding turned into an error (the example itself has none).
ReportJson example_with_error() {
    ReportJson report = example_report();
    auto& f = pipeline_test::finding(report, "AUTH-001", "aldreomsorg");
    f["status"] = "error";
    f["message"] = "document probe failed: permission denied";
    return report;
}

TEST(JunitRender, ExampleIsValidAgainstTheJunitSchema) {
    expect_schema_valid(JunitDoc(example_report()));
    expect_schema_valid(JunitDoc(example_with_error(), "en"));
}

TEST(JunitRender, TheSchemaRejectsWhatItShould) {
    // The validation above means something only if the schema can fail.
    testing_support::TempDir dir;
    // Wrapped in <testsuites><testsuite name="a" ...>: a minimal valid body, then broken ones.
    const auto doc = [](const std::string& suite_attrs, const std::string& body) {
        return "<testsuites><testsuite name=\"a\" " + suite_attrs + ">" + body +
               "</testsuite></testsuites>";
    };
    const std::string counts = R"(tests="1" failures="0" errors="0")";
    const std::vector<std::string> bad = {
        doc(R"(tests="1" failures="0")", ""),                        // errors is required
        doc(R"(tests="-1" failures="0" errors="0")", ""),            // counts are non-negative
        doc(R"(tests="1" failures="0" errors="0" time="NaN")", ""),  // time is decimal
        doc(counts, "<testcase/>"),                                  // testcase name is required
        doc(counts, R"(<testcase name="x"><bogus/></testcase>)"),    // unknown child
        doc(counts, R"(<properties><property name="x"/></properties>)"),  // property value
    };
    // A minimal document passes, so the failures below come from the schema's rules and not
    // from a schema that does not compile.
    testing_support::write_file(
        dir.file("good.xml"),
        doc(counts, R"(<testcase name="x"><skipped message="m"/></testcase>)"));
    const auto ok =
        pipeline_test::run_tool({"xmllint", "--noout", "--schema", kSchema, dir.file("good.xml")});
    ASSERT_EQ(ok.status, 0) << ok.output;
    for (const auto& xml : bad) {
        testing_support::write_file(dir.file("bad.xml"), xml);
        const auto r = pipeline_test::run_tool(
            {"xmllint", "--noout", "--schema", kSchema, dir.file("bad.xml")});
        EXPECT_NE(r.status, 0) << xml;
        EXPECT_THAT(r.output, Not(HasSubstr("cannot run"))) << r.output;
    }
}

TEST(JunitRender, CountsAddUpToTheFindings) {
    const ReportJson report = example_with_error();
    const JunitDoc doc(report);
    const long n = static_cast<long>(report["findings"].size());
    const long fails = static_cast<long>(count_status(report, "fail"));
    const long errors = static_cast<long>(count_status(report, "error"));
    const long skipped =
        static_cast<long>(count_status(report, "not_applicable") + count_status(report, "waived"));
    ASSERT_EQ(errors, 1);

    EXPECT_EQ(doc.number("count(//testcase)"), n);
    EXPECT_EQ(doc.number("string(/testsuites/@tests)"), n);
    EXPECT_EQ(doc.number("string(/testsuites/@failures)"), fails);
    EXPECT_EQ(doc.number("string(/testsuites/@errors)"), errors);
    EXPECT_EQ(doc.number("string(/testsuites/@skipped)"), skipped);
    EXPECT_EQ(doc.number("count(//testcase/failure)"), fails);
    EXPECT_EQ(doc.number("count(//testcase/error)"), errors);
    EXPECT_EQ(doc.number("count(//testcase/skipped)"), skipped);
    EXPECT_EQ(doc.number("count(//testcase[not(*)])"),
              static_cast<long>(count_status(report, "pass")));
    EXPECT_EQ(doc.number("sum(//testsuite/@tests)"), n);
    EXPECT_EQ(doc.number("sum(//testsuite/@failures)"), fails);
    EXPECT_EQ(doc.number("sum(//testsuite/@errors)"), errors);
    EXPECT_EQ(doc.number("sum(//testsuite/@skipped)"), skipped);
    // A testcase is a failure or an error, never both.
    EXPECT_EQ(doc.number("count(//testcase[failure and error])"), 0);
    EXPECT_EQ(doc.number("count(//testcase[count(*) > 1])"), 0);
}

TEST(JunitRender, OneSuitePerAreaWithItsOwnCounts) {
    const ReportJson report = example_report();
    const JunitDoc doc(report);
    std::map<std::string, std::map<std::string, long>> by_area;
    for (const auto& f : report["findings"]) {
        ++by_area[f["area"].get<std::string>()][f["status"].get<std::string>()];
        ++by_area[f["area"].get<std::string>()]["tests"];
    }
    EXPECT_EQ(doc.number("count(/testsuites/testsuite)"), static_cast<long>(by_area.size()));
    long index = 1;
    for (auto& [area, counts] : by_area) {  // suites come in byte order of the area
        const std::string suite = "/testsuites/testsuite[" + std::to_string(index++) + "]";
        EXPECT_EQ(doc.xpath("string(" + suite + "/@name)"), area);
        EXPECT_EQ(doc.number("string(" + suite + "/@tests)"), counts["tests"]) << area;
        EXPECT_EQ(doc.number("string(" + suite + "/@failures)"), counts["fail"]) << area;
        EXPECT_EQ(doc.number("string(" + suite + "/@errors)"), counts["error"]) << area;
        EXPECT_EQ(doc.number("string(" + suite + "/@skipped)"),
                  counts["not_applicable"] + counts["waived"])
            << area;
        EXPECT_EQ(doc.number("count(" + suite + "/testcase)"), counts["tests"]) << area;
        EXPECT_EQ(doc.xpath("string(" + suite + "/@time)"), "0");
        EXPECT_EQ(doc.xpath("string(" + suite + "/@timestamp)"), "2026-11-22T00:00:00Z");
    }
}

TEST(JunitRender, FailureCarriesMessageSeverityAndEvidence) {
    const JunitDoc doc(example_report());
    const std::string tc =
        "//testcase[@classname='AUTH-001' and starts-with(@name, 'hemtjanst-mobil:')]";
    EXPECT_EQ(doc.number("count(" + tc + ")"), 1);
    EXPECT_EQ(doc.xpath("string(" + tc + "/@name)"),
              "hemtjanst-mobil: System med känsliga personuppgifter kräver stark autentisering "
              "utanför kommunens nät");
    EXPECT_EQ(doc.xpath("string(" + tc + "/@time)"), "0");
    EXPECT_EQ(doc.xpath("string(" + tc + "/failure/@type)"), "high");
    EXPECT_EQ(doc.xpath("string(" + tc + "/failure/@message)"),
              "system.authentication.external is password, expected equals strong");
    const std::string details = doc.xpath("string(" + tc + "/failure)");
    // The declared fact's source is its inventory line (the line moves as the example grows).
    EXPECT_THAT(details, ::testing::ContainsRegex("system\\.authentication\\.external = password \\(declared, "
                                                  "inventory\\.yaml:[0-9]+\\)"));
    EXPECT_THAT(details, HasSubstr("owner: Vård- och omsorgsnämnden"));
}

TEST(JunitRender, EnglishTitlesWithLangEn) {
    const JunitDoc doc(example_report(), "en");
    EXPECT_EQ(doc.xpath("string(//testcase[@classname='AUTH-001' and "
                        "starts-with(@name, 'hemtjanst-mobil:')]/@name)"),
              "hemtjanst-mobil: Systems holding sensitive personal data require strong "
              "authentication outside the municipal network");
}

TEST(JunitRender, ErrorIsDistinctFromFailure) {
    const JunitDoc doc(example_with_error());
    const std::string tc =
        "//testcase[@classname='AUTH-001' and starts-with(@name, 'aldreomsorg:')]";
    EXPECT_EQ(doc.number("count(" + tc + "/error)"), 1);
    EXPECT_EQ(doc.number("count(" + tc + "/failure)"), 0);
    EXPECT_EQ(doc.xpath("string(" + tc + "/error/@message)"),
              "document probe failed: permission denied");
    EXPECT_EQ(doc.xpath("string(" + tc + "/error/@type)"), "high");
}

TEST(JunitRender, NotApplicableAndWaivedAreSkipped) {
    const JunitDoc doc(example_report());
    const std::string na =
        "//testcase[@classname='AUTH-001' and starts-with(@name, 'arbetsmarknad:')]";
    EXPECT_EQ(doc.xpath("string(" + na + "/skipped/@message)"),
              "not applicable: system.sensitive_personal_data is false, expected equals true");
    const std::string waived =
        "//testcase[@classname='KLASS-003' and starts-with(@name, 'hemtjanst-mobil:')]";
    EXPECT_EQ(doc.number("count(" + waived + "/skipped)"), 1);
    EXPECT_EQ(doc.number("count(" + waived + "/failure)"), 0);
    const std::string message = doc.xpath("string(" + waived + "/skipped/@message)");
    EXPECT_THAT(message, StartsWith("waived: decision VON 2026/118, expires 2027-03-31"));
    EXPECT_THAT(message, HasSubstr("Mobilappen byts mot en lösning med e-legitimation"));
}

TEST(JunitRender, PropertiesCarryScoreAndProvenance) {
    const ReportJson report = example_report();
    const JunitDoc doc(report);
    const auto prop = [&doc](const std::string& name) {
        return doc.xpath("string(/testsuites/testsuite[1]/properties/property[@name='" + name +
                         "']/@value)");
    };
    // The values of the report itself, as JUnit prints them.
    const auto shown = [](double v) {
        std::ostringstream out;
        out << v;
        return out.str();
    };
    EXPECT_EQ(prop("score.overall"), shown(report["score"]["overall"].get<double>()));
    EXPECT_EQ(prop("score.overall_without_waivers"),
              shown(report["score"]["overall_without_waivers"].get<double>()));
    EXPECT_EQ(prop("score.coverage"), "1.0");
    EXPECT_EQ(prop("run.as_of"), "2026-11-22");
    EXPECT_EQ(prop("tool.version"), "0.1.0");
    EXPECT_EQ(prop("run.rule_pack_sha256"), report["run"]["rule_pack_sha256"].get<std::string>());
    // The first suite's own area score, as the report states it.
    const std::string first_area = doc.xpath("string(/testsuites/testsuite[1]/@name)");
    for (const auto& area : report["score"]["areas"]) {
        if (area["id"].get<std::string>() == first_area) {
            EXPECT_EQ(prop("area.score"), shown(area["score"].get<double>()));
        }
    }
    EXPECT_EQ(doc.number("count(//testsuite[not(properties)])"), 0);
}

TEST(JunitRender, HostileTextStaysWellFormedAndSurvivesEscaping) {
    const JunitDoc doc(pipeline_test::hostile_report());
    expect_well_formed(doc);
    expect_schema_valid(doc);
    EXPECT_THAT(doc.xml(), Not(HasSubstr("<script>")));
    // The area sorts first ('<' < 'a'); its first testcase carries the hostile rule and subject.
    const std::string clean = pipeline_test::hostile_text_cleaned();
    EXPECT_EQ(doc.xpath("string(/testsuites/testsuite[1]/@name)"), clean);
    EXPECT_EQ(doc.xpath("string(/testsuites/testsuite[1]/testcase[1]/@classname)"), clean);
    EXPECT_EQ(doc.xpath("string(/testsuites/@name)"), "lisa: " + clean);
    // Severity is typed: a word that is not one reads back as info, never as markup.
    EXPECT_EQ(doc.xpath("string(/testsuites/testsuite[1]/testcase[1]/error/@type)"), "info");
}

TEST(JunitRender, OddDocumentsNeverThrowAndStayValid) {
    for (const auto& report : pipeline_test::odd_reports()) {
        SCOPED_TRACE(
            report.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace).substr(0, 200));
        std::unique_ptr<JunitDoc> doc;
        ASSERT_NO_THROW(doc = std::make_unique<JunitDoc>(report));
        expect_schema_valid(*doc);
    }
}

TEST(JunitRender, UnknownStatusIsAnErrorNotAPass) {
    ReportJson report = example_report();
    pipeline_test::finding(report, "AUTH-001", "aldreomsorg")["status"] = "maybe";
    const JunitDoc doc(report);
    // report_from_json reads a status it does not know as error: could not be judged, never a pass.
    EXPECT_EQ(doc.number("count(//testcase[@classname='AUTH-001' and starts-with(@name, "
                         "'aldreomsorg:')]/error)"),
              1);
    EXPECT_EQ(doc.number("string(/testsuites/@errors)"), 1);
}

TEST(JunitRender, Deterministic) {
    const ReportJson report = example_report();
    EXPECT_EQ(render(render_junit, report), render(render_junit, report));
}

}  // namespace
}  // namespace lisa
