// SPDX-License-Identifier: Apache-2.0
// The document probe over real files from real office software (tests/data/documents, made by
// scripts/make-document-corpus with LibreOffice): each file's facts and quoted spans against its
// golden NAME.expected.json, and the readers' limits (zip bomb, deadline, output cap) in the
// reader program (lisa-document-reader). LISA_UPDATE_GOLDEN=1 rewrites the golden files after an intended change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <netdb.h>

#include <atomic>
#include <cstdlib>
#include <locale>
#include <thread>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/probes/document_probe.hpp"
#include "lisa/probes/document_text.hpp"
#include "process.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace lisa {
namespace {

const std::string kDocs = LISA_DOCUMENTS_DIR;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Probed {
    Facts facts;
    std::string error;
};

// The probe as a scan runs it: an inventory naming the file relative to its directory.
Probed probe_file(const std::string& name, const std::string& dir = kDocs) {
    const std::string yaml = "organization: { name: Exempelkommun, population: 5000 }\nisms:\n  documents:\n    - { id: doc, role: riktlinje, path: \"" + name + "\" }\n";
    Diagnostics diags;
    const Inventory inv = load_inventory({"<test>", yaml}, dir, diags);
    for (const auto& d : diags.items()) ADD_FAILURE() << d.message;
    const int index = inv.find(SubjectKind::Document, "doc");
    EXPECT_GE(index, 0);
    ProbeContext context;
    context.as_of = *Date::parse("2025-06-01");
    context.base_dir = dir;
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, inv.subjects, inv.targets, context};
    auto probe = make_document_probe();
    auto result = probe->collect(request);
    EXPECT_TRUE(result) << name;
    Probed out;
    if (result) {
        out.facts = result.value().facts;
        out.error = result.value().error;
    }
    return out;
}

nlohmann::json as_golden(const Probed& p) {
    nlohmann::json facts = nlohmann::json::object();
    for (const auto& [name, fact] : p.facts) {
        if (name == "document.sha256" || name == "document.size_bytes" || name == "document.age_days") continue;
        facts[name] = {{"value", fact.value.to_display()}, {"source", fact.source}};
    }
    return {{"facts", facts}, {"error", p.error}};
}

std::vector<std::string> corpus() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(kDocs)) {
        const std::string ext = e.path().extension().string();
        if (ext == ".pdf" || ext == ".docx" || ext == ".odt" || ext == ".html" || ext == ".md") {
            out.push_back(e.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(DocumentCorpusTest, EveryDocumentMatchesItsGoldenFacts) {
    const auto files = corpus();
    ASSERT_GE(files.size(), 15U);
    const bool update = std::getenv("LISA_UPDATE_GOLDEN") != nullptr;
    for (const auto& name : files) {
        const nlohmann::json got = as_golden(probe_file(name));
        const std::string golden = kDocs + "/" + name + ".expected.json";
        if (update) {
            std::ofstream(golden) << got.dump(2) << "\n";
            continue;
        }
        ASSERT_TRUE(fs::exists(golden)) << "no golden file for " << name;
        EXPECT_EQ(got, nlohmann::json::parse(slurp(golden))) << name << ":\n" << got.dump(2);
    }
}

TEST(DocumentCorpusTest, PolicyExportedFromDocxQuotesItsDecisionLine) {
    const Probed p = probe_file("policy.pdf");
    EXPECT_EQ(p.error, "");
    EXPECT_EQ(p.facts.at("document.format").value, Value(std::string("pdf")));
    EXPECT_EQ(p.facts.at("document.beslutad").value, Value(*Date::parse("2024-12-12")));
    EXPECT_EQ(p.facts.at("document.beslutad_av").value, Value(std::string("kommunfullmäktige")));
    EXPECT_EQ(p.facts.at("document.beslutad").source,
              "policy.pdf p. 1: \"Fastställd av kommunfullmäktige den 12 december 2024, § 129\"");
    EXPECT_EQ(p.facts.at("document.diarienummer").value, Value(std::string("KS 2024/000123")));
    EXPECT_EQ(p.facts.at("document.diarienummer").source, "policy.pdf p. 1: \"Dnr KS 2024/000123\"");
    EXPECT_EQ(p.facts.at("document.age_days").value, Value(std::int64_t{171}));
}

TEST(DocumentCorpusTest, EveryFormatOfTheSameDocumentGivesTheSameFacts) {
    for (const std::string base : {"policy", "riktlinje-tabell", "ledningens-genomgang"}) {
        const Probed pdf = probe_file(base + ".pdf");
        const Probed docx = probe_file(base + ".docx");
        for (const std::string fact : {"document.beslutad", "document.beslutad_av", "document.diarienummer",
                                       "document.antagen", "document.reviderad"}) {
            ASSERT_EQ(pdf.facts.count(fact), docx.facts.count(fact)) << base << " " << fact;
            if (pdf.facts.count(fact) != 0) {
                EXPECT_EQ(pdf.facts.at(fact).value, docx.facts.at(fact).value) << base << fact;
            }
        }
    }
}

TEST(DocumentCorpusTest, UnreadableDocumentsAreErrorsWithTheReason) {
    EXPECT_THAT(probe_file("skannad.pdf").error, HasSubstr("scanned PDF without a text layer"));
    EXPECT_THAT(probe_file("krypterad-anvandarlosenord.pdf").error, HasSubstr("encrypted PDF"));
    EXPECT_THAT(probe_file("trasig.docx").error, HasSubstr("damaged DOCX"));
    // An owner password only restricts permissions: the text is read.
    const Probed owner = probe_file("krypterad-agarlosenord.pdf");
    EXPECT_EQ(owner.error, "");
    EXPECT_EQ(owner.facts.at("document.beslutad").value, Value(*Date::parse("2024-12-12")));
}

TEST(DocumentCorpusTest, TextAndMetadataThatDisagreeAreBothNamed) {
    const Probed p = probe_file("riskuppfoljning.odt");
    ASSERT_EQ(p.facts.count("document.conflicts"), 1U);
    const auto* list = p.facts.at("document.conflicts").value.as_list();
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->size(), 1U);
    EXPECT_THAT(list->front(), HasSubstr("says 2025-03-03"));
    EXPECT_THAT(list->front(), HasSubstr("says 2025-03-10"));
    EXPECT_THAT(p.facts.at("document.beslutad").source, HasSubstr("disagrees"));
    // The decision line is in the page header.
    EXPECT_THAT(p.facts.at("document.beslutad_av").source, HasSubstr("sidhuvud"));
    EXPECT_EQ(p.facts.at("document.beslutad_av").value, Value(std::string("nämnd:socialnämnden")));
}

TEST(DocumentCorpusTest, FrontMatterAndTextThatDisagreeAreBothNamed) {
    testing_support::TempDir dir;
    std::ofstream(dir.file("policy.md")) << "---\nbeslutad: 2024-01-10\nbeslutad_av: Kommunfullmäktige\n---\n"
                                            "# Policy\n\nFastställd av kommunfullmäktige den 12 december 2024\n";
    const Probed p = probe_file("policy.md", dir.path());
    EXPECT_EQ(p.facts.at("document.beslutad").value, Value(*Date::parse("2024-01-10")));
    EXPECT_THAT(p.facts.at("document.beslutad").source, HasSubstr("disagrees"));
    ASSERT_EQ(p.facts.count("document.conflicts"), 1U);
    EXPECT_THAT(p.facts.at("document.conflicts").value.to_display(), HasSubstr("2024-12-12"));
    // The same body in other words is no disagreement.
    EXPECT_THAT(p.facts.at("document.conflicts").value.to_display(), Not(HasSubstr("beslutad_av")));
    EXPECT_THAT(p.facts.at("document.beslutad_av").source, Not(HasSubstr("disagrees")));
}

// A text file without front matter in which nothing is found is no evidence, as an office document
// is not: an error with the reason. One read only in part says so.
TEST(DocumentCorpusTest, ATextFileWithNoDecisionIsAnErrorAndSaysWhenItWasReadInPart) {
    testing_support::TempDir dir;
    std::ofstream(dir.file("tom.md")) << "# Informationssäkerhetspolicy\n\nPolicyn anger inriktningen.\n";
    EXPECT_THAT(probe_file("tom.md", dir.path()).error, HasSubstr("no decision (beslutad, beslutad av, diarienummer) found"));
    {
        std::ofstream big(dir.file("lang.md"));
        for (std::size_t i = 0; i < kMaxFactLines + 10; ++i) big << "rad\n";
        big << "Antagen av kommunfullmäktige 2024-02-26, § 12.\n";
    }
    EXPECT_THAT(probe_file("lang.md", dir.path()).error, HasSubstr("only its first 200000 lines were read"));
    // Front matter is a statement of its own: its file is judged on what it states.
    std::ofstream(dir.file("fm.md")) << "---\ndokumentagare: Kommundirektör\n---\n# Policy\n";
    EXPECT_EQ(probe_file("fm.md", dir.path()).error, "");
}

// An empty file is empty, whatever its name says it is.
TEST(DocumentCorpusTest, AnEmptyFileIsSaidToBeEmptyInEveryFormat) {
    testing_support::TempDir dir;
    for (const char* name : {"tom.docx", "tom.odt", "tom.pdf", "tom.md", "tom.html"}) {
        std::ofstream(dir.file(name)).flush();
        EXPECT_THAT(probe_file(name, dir.path()).error, HasSubstr("the file is empty (0 bytes)")) << name;
    }
}

// A decision dated on a day no calendar has is neither read as another day nor "not stated": the
// document's error names the line.
TEST(DocumentCorpusTest, ADateThatDoesNotExistIsNamedNeverDropped) {
    testing_support::TempDir dir;
    std::ofstream(dir.file("policy.md")) << "# Informationssäkerhetspolicy\n\nAntagen av kommunfullmäktige 31 februari 2024.\n";
    const Probed p = probe_file("policy.md", dir.path());
    EXPECT_THAT(p.error, HasSubstr("a date that does not exist in stycke"));
    EXPECT_THAT(p.error, HasSubstr("31 februari 2024"));
    EXPECT_EQ(p.facts.count("document.beslutad"), 0U);
    std::ofstream(dir.file("iso.md")) << "# Policy\n\nBeslutad av kommunstyrelsen 2024-02-30. Dnr KS 2024/3\n";
    EXPECT_THAT(probe_file("iso.md", dir.path()).error, HasSubstr("2024-02-30"));
    // Beside a decision date that exists, it is a conflict.
    std::ofstream(dir.file("both.md")) << "# Policy\n\nAntagen av kommunfullmäktige 2023-05-22.\nReviderad 2024-13-01.\n";
    const Probed both = probe_file("both.md", dir.path());
    EXPECT_EQ(both.error, "");
    EXPECT_THAT(both.facts.at("document.conflicts").value.to_display(), HasSubstr("date that does not exist"));
}

// Two diarienummer of one board are two numbers: "KS 2024/1" in front matter and "Dnr KS 2023/55"
// in the text disagree (only decision bodies are compared as bodies).
TEST(DocumentCorpusTest, TwoDiarienummerOfOneBoardDisagree) {
    testing_support::TempDir dir;
    std::ofstream(dir.file("policy.md")) << "---\ndiarienummer: KS 2024/1\nbeslutad: 2024-01-10\n---\n"
                                            "# Policy\n\nDnr KS 2023/55. Beslutad av kommunstyrelsen 2024-01-10.\n";
    const Probed p = probe_file("policy.md", dir.path());
    ASSERT_EQ(p.facts.count("document.conflicts"), 1U);
    EXPECT_THAT(p.facts.at("document.conflicts").value.to_display(), HasSubstr("diarienummer: front matter says KS 2024/1"));
    EXPECT_THAT(p.facts.at("document.conflicts").value.to_display(), HasSubstr("says KS 2023/55"));
}

std::string zip_with(const std::vector<std::pair<std::string, std::string>>& entries) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_source_keep(out);
    zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &err);
    for (const auto& [name, data] : entries) {
        zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
        zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE);
    }
    zip_close(za);
    zip_source_open(out);
    zip_source_seek(out, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    zip_source_read(out, bytes.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(out);
    zip_source_free(out);
    return bytes;
}

TEST(DocumentReaderTest, ZipBombIsRefusedWithAClearError) {
    // 100 MiB of one byte compresses to ~100 KiB: more than one entry may decompress to.
    const std::string big(100u << 20, 'a');
    const std::string bomb = zip_with({{"word/document.xml", big}});
    ASSERT_LT(bomb.size(), 1u << 20);
    const DocumentText t = read_document_isolated(bomb, "bomb.docx");
    EXPECT_THAT(t.error, HasSubstr("refused as a zip bomb"));
}

TEST(DocumentReaderTest, TooManyZipEntriesAreRefused) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < 5001; ++i) entries.emplace_back("x/" + std::to_string(i), "");
    entries.emplace_back("word/document.xml", "<w:document/>");
    const DocumentText t = read_document_isolated(zip_with(entries), "many.docx");
    EXPECT_THAT(t.error, HasSubstr("more than the 5000"));
}

TEST(DocumentReaderTest, AReaderPastItsDeadlineIsKilled) {
    ReaderLimits limits;
    limits.wall = std::chrono::milliseconds(1);
    const DocumentText t = read_document_isolated(slurp(kDocs + "/policy.pdf"), "policy.pdf", limits);
    EXPECT_THAT(t.error, HasSubstr("took longer than"));
}

TEST(DocumentReaderTest, ReadersRunFromAMultiThreadedProcessNeverHang) {
    // The scan reads documents from several probe threads while others hold locks (malloc, the
    // loader, locales, the resolver). A reader forked from such a process deadlocked in its first
    // locked call; the reader program started by posix_spawn runs nothing of ours before exec.
    const std::string pdf = slurp(kDocs + "/policy.pdf");
    const DocumentText first = read_document_isolated(pdf, "policy.pdf");
    ASSERT_EQ(first.error, "");
    std::atomic<bool> stop{false};
    std::vector<std::thread> churn;
    for (int i = 0; i < 2; ++i) {
        churn.emplace_back([&stop] {
            while (!stop) {
                std::vector<std::string> v(1000, std::string(100, 'x'));
                std::ostringstream s;
                s.imbue(std::locale::classic());
                s << v.size() << 1.5;
                addrinfo* res = nullptr;
                if (::getaddrinfo("localhost", "443", nullptr, &res) == 0) ::freeaddrinfo(res);
            }
        });
    }
    ReaderLimits limits;
    limits.wall = std::chrono::seconds(15);
    std::vector<std::string> errors(6);
    std::vector<std::thread> readers;
    for (std::size_t t = 0; t < errors.size(); ++t) {
        readers.emplace_back([&, t] {
            for (int i = 0; i < 8 && errors[t].empty(); ++i) {
                const DocumentText d = read_document_isolated(pdf, "policy.pdf", limits);
                if (!d.error.empty()) errors[t] = d.error;
                else if (d.blocks.size() != first.blocks.size()) errors[t] = "different text";
            }
        });
    }
    for (auto& r : readers) r.join();
    stop = true;
    for (auto& c : churn) c.join();
    for (const auto& e : errors) EXPECT_EQ(e, "");
}

TEST(DocumentReaderTest, AMissingReaderProgramIsAnErrorThatSaysWhatToDo) {
    ::setenv("LISA_DOCUMENT_READER", "/nonexistent/lisa-document-reader", 1);
    const DocumentText t = read_document_isolated(slurp(kDocs + "/policy.pdf"), "policy.pdf");
    ::unsetenv("LISA_DOCUMENT_READER");
    EXPECT_THAT(t.error, HasSubstr("cannot start the document reader /nonexistent/lisa-document-reader"));
    EXPECT_TRUE(t.blocks.empty());
    // Unset, the build tree's reader is found again.
    EXPECT_EQ(read_document_isolated(slurp(kDocs + "/policy.pdf"), "policy.pdf").error, "");
}

TEST(DocumentReaderTest, ResultLargerThanTheCapIsRefused) {
    ReaderLimits limits;
    limits.output_bytes = 100;
    const DocumentText t = read_document_isolated(slurp(kDocs + "/policy.pdf"), "policy.pdf", limits);
    EXPECT_THAT(t.error, HasSubstr("larger than"));
}

TEST(DocumentReaderTest, GarbageIsAnErrorNeverACrash) {
    for (const std::string& bytes : {std::string("%PDF-1.7\n garbage"), std::string("PK\x03\x04garbage", 11),
                                     std::string("\x00\x01\x02", 3)}) {
        const DocumentText t = read_document_isolated(bytes, "x");
        EXPECT_NE(t.error, "") << bytes;
    }
    // A zip that is neither DOCX nor ODT.
    EXPECT_THAT(read_document_isolated(zip_with({{"a.txt", "x"}}), "a.zip").error, HasSubstr("neither DOCX"));
}

TEST(DocumentReaderTest, HtmlPageTextAndMetaAreRead) {
    const std::string html =
        "<!DOCTYPE html><html><head><title>Informationssäkerhetspolicy</title>"
        "<meta name=\"dcterms.identifier\" content=\"Dnr KS 2023/77\"><script>var beslutad='1999-01-01'</script></head>"
        "<body><h1>Informationssäkerhetspolicy</h1><p>Antagen av Kommunstyrelsen den 15 mars 2010, § 51</p>"
        "<table><tr><th>Dokumentägare</th><td>Kommunchefen</td></tr></table></body></html>";
    const DocumentText t = read_document_isolated(html, "policy.html");
    ASSERT_EQ(t.error, "");
    const auto facts = text_facts(t.blocks);
    EXPECT_EQ(facts.at("beslutad").value, Value(*Date::parse("2010-03-15")));
    EXPECT_EQ(facts.at("beslutad_av").value, Value(std::string("kommunstyrelsen")));
    EXPECT_EQ(facts.at("dokumentagare").value, Value(std::string("Kommunchefen")));
    const auto meta = text_facts(t.metadata);
    EXPECT_EQ(meta.at("diarienummer").value, Value(std::string("KS 2023/77")));
}

}  // namespace
}  // namespace lisa

namespace lisa {
namespace {

// A copy of a corpus file in a temporary directory, with a sidecar beside it.
struct WithSidecar {
    testing_support::TempDir dir;
    std::string name;
    WithSidecar(const std::string& file, const std::string& sidecar) : name(file) {
        const std::string bytes = slurp(kDocs + "/" + file);
        std::ofstream(dir.file(file), std::ios::binary) << bytes;
        std::string text = sidecar;
        const std::string token = "SHA";
        if (const auto at = text.find(token); at != std::string::npos) text.replace(at, token.size(), sha256_hex(bytes));
        std::ofstream(dir.file(file + ".lisa.yaml")) << text;
    }
};

// The sidecar stands in for the text: its facts are attested (rules that require the document's own
// words still fail on them), the scan is no longer incomplete, and why the text gave nothing stays.
TEST(DocumentSidecarTest, AScannedPdfGetsAttestedFactsAndStaysUnreadable) {
    WithSidecar w("skannad.pdf", "sha256: SHA\nattesterad_av: Registrator Per Åkesson\nbeslutad: 2024-12-12\n"
                                 "beslutad_av: Kommunfullmäktige\ndiarienummer: KS 2024/000123\n");
    const Probed p = probe_file(w.name, w.dir.path());
    EXPECT_EQ(p.error, "");
    EXPECT_THAT(p.facts.at("document.error").value.to_display(), HasSubstr("scanned PDF without a text layer"));
    const Fact& beslutad = p.facts.at("document.beslutad");
    EXPECT_EQ(beslutad.value, Value(*Date::parse("2024-12-12")));
    EXPECT_EQ(beslutad.provenance, Provenance::Attested);
    EXPECT_THAT(beslutad.source, HasSubstr("skannad.pdf.lisa.yaml:3:1 (attested by Registrator Per Åkesson"));
    EXPECT_EQ(p.facts.at("document.beslutad_av").value, Value(std::string("kommunfullmäktige")));
    EXPECT_EQ(p.facts.at("document.age_days").provenance, Provenance::Attested);
}

TEST(DocumentSidecarTest, PinnedToAnotherVersionIsAnError) {
    WithSidecar w("skannad.pdf", "sha256: " + std::string(64, 'a') + "\nbeslutad: 2024-12-12\n");
    const Probed p = probe_file(w.name, w.dir.path());
    EXPECT_THAT(p.error, HasSubstr("skannad.pdf.lisa.yaml:1:9: pinned to sha256 aaaaaaaaaaaaaaaa…"));
    EXPECT_EQ(p.facts.count("document.beslutad"), 0U);
}

TEST(DocumentSidecarTest, EveryProblemIsReportedWithItsPlace) {
    WithSidecar w("skannad.pdf", "sha256: SHA\nbeslutad: 12 december\nbeslutat_av: KF\n");
    const Probed p = probe_file(w.name, w.dir.path());
    EXPECT_THAT(p.error, HasSubstr("skannad.pdf.lisa.yaml:2:1: 'beslutad' must be a date YYYY-MM-DD"));
    EXPECT_THAT(p.error, HasSubstr("skannad.pdf.lisa.yaml:3:1: unknown key 'beslutat_av'"));
}

TEST(DocumentSidecarTest, TheDocumentsOwnWordsWinAndTheDisagreementIsNamed) {
    WithSidecar w("policy.pdf", "sha256: SHA\nbeslutad: 2020-01-01\ndiarienummer: KS 2024/000123\n");
    const Probed p = probe_file(w.name, w.dir.path());
    EXPECT_EQ(p.error, "");
    EXPECT_EQ(p.facts.at("document.beslutad").value, Value(*Date::parse("2024-12-12")));
    EXPECT_EQ(p.facts.at("document.beslutad").provenance, Provenance::Document);
    const std::string conflicts = p.facts.at("document.conflicts").value.to_display();
    EXPECT_THAT(conflicts, HasSubstr("policy.pdf.lisa.yaml:2:1 (attested for sha256"));
    EXPECT_THAT(conflicts, HasSubstr("says 2020-01-01"));
    EXPECT_THAT(conflicts, Not(HasSubstr("diarienummer")));  // the same value is no conflict
}

}  // namespace
}  // namespace lisa

namespace lisa {
namespace {

using testing_support::http_response;
using testing_support::HttpTestServer;

Probed probe_url(const std::string& url, const std::string& ca_file) {
    const std::string yaml = "organization: { name: Exempelkommun, population: 5000 }\nisms:\n  documents:\n"
                             "    - { id: doc, role: riktlinje, url: \"" + url + "\", ca_file: \"" + ca_file + "\" }\n";
    Diagnostics diags;
    const Inventory inv = load_inventory({"<test>", yaml}, "/", diags);
    for (const auto& d : diags.items()) ADD_FAILURE() << d.message;
    const int index = inv.find(SubjectKind::Document, "doc");
    ProbeContext context;
    context.as_of = *Date::parse("2025-06-01");
    context.timeout = std::chrono::milliseconds(3000);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, inv.subjects, inv.targets, context};
    auto result = make_document_probe()->collect(request);
    Probed out;
    if (result) {
        out.facts = result.value().facts;
        out.error = result.value().error;
    }
    return out;
}

// A municipality's web server on loopback: HTTPS with a certificate from a test CA.
struct Site {
    testing_support::TempDir dir;
    testing_support::TestPki pki{dir.path()};
    testing_support::Issued cert = pki.issue("www", testing_support::CertSpec{});
    std::unique_ptr<HttpTestServer> server;
    std::string base;

    Site() {
        std::map<std::string, std::string> routes;
        routes["/styrdokument/informationssakerhetspolicy.pdf"] =
            http_response("200 OK", "Content-Type: application/pdf\r\n", slurp(kDocs + "/policy.pdf"));
        routes["/sida"] = http_response("200 OK", "Content-Type: text/html; charset=utf-8\r\n",
                                        slurp(kDocs + "/publicerad-sida.html"));
        server = std::make_unique<HttpTestServer>(routes, cert.cert_file, cert.key_file);
        base = server->base();
    }
    // Routes need the port, known only once the server runs: a second server redirects to the first.
};

TEST(DocumentUrlTest, PublishedPdfIsFetchedOverVerifiedHttpsAndRead) {
    Site site;
    const Probed p = probe_url(site.base + "/styrdokument/informationssakerhetspolicy.pdf", site.pki.ca_file());
    EXPECT_EQ(p.error, "");
    EXPECT_EQ(p.facts.at("document.format").value, Value(std::string("pdf")));
    EXPECT_EQ(p.facts.at("document.beslutad").value, Value(*Date::parse("2024-12-12")));
    EXPECT_THAT(p.facts.at("document.beslutad").source,
                HasSubstr("/styrdokument/informationssakerhetspolicy.pdf p. 1: \"Fastställd av kommunfullmäktige"));
    EXPECT_EQ(p.facts.at("document.sha256").value, Value(sha256_hex(slurp(kDocs + "/policy.pdf"))));
    EXPECT_EQ(p.facts.at("document.redirects").value, Value(StringList{}));
}

TEST(DocumentUrlTest, RedirectsAreFollowedUpToFiveAndRecorded) {
    Site site;
    testing_support::Issued cert = site.pki.issue("redir", testing_support::CertSpec{});
    std::map<std::string, std::string> routes;
    for (int i = 0; i < 7; ++i) {
        routes["/r" + std::to_string(i)] =
            http_response("301 Moved Permanently", "Location: /r" + std::to_string(i + 1) + "\r\n", "");
    }
    routes["/two"] = http_response("302 Found", "Location: /one\r\n", "");
    routes["/one"] = http_response("301 Moved Permanently", "Location: " + site.base + "/sida\r\n", "");
    routes["/plain"] = http_response("302 Found", "Location: http://127.0.0.1:1/sida\r\n", "");
    HttpTestServer redirector(routes, cert.cert_file, cert.key_file);
    const Probed p = probe_url(redirector.base() + "/two", site.pki.ca_file());
    EXPECT_EQ(p.error, "");
    const auto* hops = p.facts.at("document.redirects").value.as_list();
    ASSERT_NE(hops, nullptr);
    ASSERT_EQ(hops->size(), 2U);
    EXPECT_EQ(hops->at(0), "302 " + redirector.base() + "/two -> " + redirector.base() + "/one");
    EXPECT_EQ(p.facts.at("document.url").value, Value(site.base + "/sida"));
    EXPECT_EQ(p.facts.at("document.beslutad_av").value, Value(std::string("kommunfullmäktige")));
    EXPECT_THAT(probe_url(redirector.base() + "/r0", site.pki.ca_file()).error, HasSubstr("redirects more than 5 times"));
    EXPECT_THAT(probe_url(redirector.base() + "/plain", site.pki.ca_file()).error, HasSubstr("only HTTPS is followed"));
}

TEST(DocumentUrlTest, InventoryAcceptsOnlyOneHttpsUrlPerDocument) {
    Diagnostics diags;
    (void)load_inventory({"inv.yaml", "isms:\n  documents:\n"
                                      "    - { id: a, role: riktlinje, url: \"http://www.exempelkommun.se/p.pdf\" }\n"
                                      "    - { id: b, role: riktlinje, url: \"https://x/p.pdf\", path: p.pdf }\n"},
                         "/", diags);
    std::string all;
    for (const auto& d : diags.items()) all += d.message + "\n";
    EXPECT_THAT(all, HasSubstr("a document's 'url' must be an https:// URL"));
    EXPECT_THAT(all, HasSubstr("give a document's 'path' or its 'url', not both"));
}

TEST(DocumentUrlTest, AnUnverifiedServerOrAMissingPageIsAnError) {
    Site site;
    // The test CA is not in the system store: without ca_file the server cannot be verified.
    EXPECT_THAT(probe_url(site.base + "/sida", "").error, HasSubstr("cannot fetch"));
    EXPECT_THAT(probe_url(site.base + "/finns-inte", site.pki.ca_file()).error, HasSubstr("answered HTTP 404"));
}

// Issue 15: a certificate for another name is refused, and the error says which certificate
// (its subject and SANs as the server sent them), so IT knows which one to replace.
TEST(DocumentUrlTest, ACertificateForAnotherNameIsNamedInTheError) {
    Site site;
    testing_support::CertSpec other;
    other.common_name = "other.example";
    other.dns_names = {"other.example", "www.other.example"};
    other.ips = {};
    const testing_support::Issued cert = site.pki.issue("other", other);
    HttpTestServer wrong({{"/sida", http_response("200 OK", "Content-Type: text/plain\r\n", "x")}}, cert.cert_file,
                         cert.key_file);
    const std::string error = probe_url(wrong.base() + "/sida", site.pki.ca_file()).error;
    EXPECT_THAT(error, HasSubstr("cannot fetch"));
    EXPECT_THAT(error, HasSubstr("127.0.0.1"));  // libcurl's words: the name it did not find
    EXPECT_THAT(error, HasSubstr("the server's certificate: CN = other.example, SAN DNS:other.example, DNS:www.other.example"));
}

}  // namespace
}  // namespace lisa

// discover: (issue 13 item 7) — one listing page over verified HTTPS on loopback, or a folder.
namespace lisa {
namespace {

using testing_support::http_response;
using testing_support::HttpTestServer;

Probed probe_entry(const std::string& entry, const std::string& dir = "/") {
    const std::string yaml = "organization: { name: Exempelkommun, population: 5000 }\nisms:\n  documents:\n    - " +
                             entry + "\n";
    Diagnostics diags;
    const Inventory inv = load_inventory({"<test>", yaml}, dir, diags);
    for (const auto& d : diags.items()) ADD_FAILURE() << d.message;
    const int index = inv.find(SubjectKind::Document, "doc");
    EXPECT_GE(index, 0);
    ProbeContext context;
    context.as_of = *Date::parse("2025-06-01");
    context.timeout = std::chrono::milliseconds(3000);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, inv.subjects, inv.targets, context};
    auto result = make_document_probe()->collect(request);
    Probed out;
    if (result) {
        out.facts = result.value().facts;
        out.error = result.value().error;
    }
    return out;
}

StringList list_of(const Probed& p, const std::string& fact) {
    const auto it = p.facts.find(fact);
    if (it == p.facts.end() || it->second.value.as_list() == nullptr) return {"<" + fact + " missing>"};
    return *it->second.value.as_list();
}

const std::string kListing = R"(<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Styrdokument</title></head><body>
<nav><a href="/">Start</a> <a href="/kontakt">Kontakt</a></nav>
<main><h1>Styrdokument för informationssäkerhet</h1>
<ul>
  <li><a href="informationssakerhetspolicy.pdf">Informationssäkerhetspolicy</a> (PDF, 210 kB)</li>
  <li><a href="informationssakerhetspolicy.pdf#sida2">Informationssäkerhetspolicy, sidan 2</a></li>
  <li><a href="/dokument/Riktlinje%20f%C3%B6r%20informationsklassning.docx"><img src="docx.png" alt=""></a></li>
  <li><a href="https://HOST/dokument/riskuppfoljning-2025.odt">
        Uppföljning av
        riskanalys 2025</a></li>
  <li><a href="../arkiv/LEDNINGENS_GENOMGANG_2025.PDF" title="Ledningens genomgång 2025"></a></li>
  <li><a href="https://www.annankommun.se/dokument/kontinuitetsplan.pdf">Kontinuitetsplan (grannkommunens)</a></li>
  <li><a href="/dokument/delegationsordning.pdf">Delegationsordning</a></li>
  <li><a href="/styrdokument/informationssakerhet">Om informationssäkerhet</a></li>
  <li><a href="mailto:registrator@exempelkommun.se">Registrator</a></li>
</ul></main></body></html>
)";

TEST(DocumentDiscoverTest, ListingPageOverHttpsFindsAndClassifiesTheDocuments) {
    testing_support::TempDir dir;
    testing_support::TestPki pki{dir.path()};
    const auto cert = pki.issue("www", testing_support::CertSpec{});
    HttpTestServer site({}, cert.cert_file, cert.key_file);
    std::string page = kListing;
    const std::string host = site.base().substr(std::string("https://").size());
    page.replace(page.find("HOST"), 4, host);
    site.add_route("/styrdokument/", http_response("200 OK", "Content-Type: text/html; charset=utf-8\r\n", page));
    site.add_route("/styrdokument", http_response("301 Moved Permanently", "Location: /styrdokument/\r\n", ""));

    const Probed p = probe_entry("{ id: doc, discover: \"" + site.base() + "/styrdokument\", ca_file: \"" +
                                 pki.ca_file() + "\" }");
    EXPECT_EQ(p.error, "");
    // The redirect is followed and recorded, the relative links resolved against the final URL.
    EXPECT_EQ(list_of(p, "document.redirects"),
              (StringList{"301 " + site.base() + "/styrdokument -> " + site.base() + "/styrdokument/"}));
    EXPECT_EQ(list_of(p, "document.discovered"),
              (StringList{
                  "policy: Informationssäkerhetspolicy <" + site.base() + "/styrdokument/informationssakerhetspolicy.pdf>",
                  "riktlinje, informationsklassning: Riktlinje för informationsklassning <" + site.base() +
                      "/dokument/Riktlinje%20f%C3%B6r%20informationsklassning.docx>",
                  "riskanalys: Uppföljning av riskanalys 2025 <" + site.base() + "/dokument/riskuppfoljning-2025.odt>",
                  "ledningens_genomgang: Ledningens genomgång 2025 <" + site.base() + "/arkiv/LEDNINGENS_GENOMGANG_2025.PDF>",
                  "övrigt: Delegationsordning <" + site.base() + "/dokument/delegationsordning.pdf>",
              }));
    EXPECT_EQ(p.facts.at("document.discovered_count").value, Value(std::int64_t{5}));
    EXPECT_EQ(list_of(p, "document.roles_found"),
              (StringList{"policy", "riktlinje", "riskanalys", "informationsklassning", "ledningens_genomgang"}));
    // The neighbour's continuity plan is on another host: not this municipality's.
    EXPECT_EQ(list_of(p, "document.roles_missing"), (StringList{"kontinuitetsplan"}));
    EXPECT_EQ(p.facts.at("document.missing_role_count").value, Value(std::int64_t{1}));
    EXPECT_THAT(p.facts.at("document.missing_role_count").source, HasSubstr("not found: kontinuitetsplan"));
    EXPECT_THAT(p.facts.at("document.discovered_count").source, HasSubstr("1 documents on other hosts not counted"));
    EXPECT_EQ(p.facts.at("document.discovered_count").provenance, Provenance::Document);

    // Only the roles the inventory requires are judged.
    const Probed some = probe_entry("{ id: doc, discover: \"" + site.base() + "/styrdokument/\", ca_file: \"" +
                                    pki.ca_file() + "\", require_roles: [policy, riskanalys] }");
    EXPECT_EQ(list_of(some, "document.roles_found"), (StringList{"policy", "riskanalys"}));
    EXPECT_EQ(list_of(some, "document.roles_missing"), StringList{});
    EXPECT_EQ(some.facts.at("document.missing_role_count").value, Value(std::int64_t{0}));
}

// Links that say only "Ladda ner": the title attribute, else the file's own name, says what the
// document is.
TEST(DocumentDiscoverTest, GenericLinkWordsAreClassifiedByTitleAttributeOrFileName) {
    testing_support::TempDir dir;
    testing_support::TestPki pki{dir.path()};
    const auto cert = pki.issue("www", testing_support::CertSpec{});
    HttpTestServer site({}, cert.cert_file, cert.key_file);
    site.add_route("/styrdokument/", http_response("200 OK", "Content-Type: text/html; charset=utf-8\r\n",
                                                   "<html><body><ul>"
                                                   "<li><a href=\"kontinuitet.docx\" title=\"Kontinuitetsplan för IT\">Ladda ner (docx, 40 kB)</a></li>"
                                                   "<li><a href=\"Ledningens%20genomg%C3%A5ng%202025.pdf\">Ladda ner</a></li>"
                                                   "<li><a href=\"bilaga.pdf\">Ladda ner</a></li>"
                                                   "</ul></body></html>"));
    const Probed p = probe_entry("{ id: doc, discover: \"" + site.base() + "/styrdokument/\", ca_file: \"" +
                                 pki.ca_file() + "\", require_roles: [kontinuitetsplan, ledningens_genomgang] }");
    EXPECT_EQ(p.error, "");
    EXPECT_EQ(list_of(p, "document.roles_found"), (StringList{"kontinuitetsplan", "ledningens_genomgang"}));
    EXPECT_EQ(list_of(p, "document.roles_missing"), StringList{});
    EXPECT_EQ(p.facts.at("document.discovered_count").value, Value(std::int64_t{3}));
}

TEST(DocumentDiscoverTest, BoundsAndFailuresAreErrorsWithTheReason) {
    testing_support::TempDir dir;
    testing_support::TestPki pki{dir.path()};
    const auto cert = pki.issue("www", testing_support::CertSpec{});
    std::string many = "<html><body>";
    for (int i = 0; i < 201; ++i) many += "<a href=\"/d/riktlinje-" + std::to_string(i) + ".pdf\">Riktlinje</a>";
    many += "</body></html>";
    std::string just = "<html><body>";
    for (int i = 0; i < 200; ++i) just += "<a href=\"/d/riktlinje-" + std::to_string(i) + ".pdf\">Riktlinje</a>";
    just += "</body></html>";
    std::map<std::string, std::string> routes;
    routes["/many"] = http_response("200 OK", "Content-Type: text/html\r\n", many);
    routes["/just"] = http_response("200 OK", "Content-Type: text/html\r\n", just);
    // Navigation links past the reader's cap: the documents after them would go unseen.
    std::string links = "<html><body>";
    for (int i = 0; i <= 10000; ++i) links += "<a href=\"/sida-" + std::to_string(i) + "\">Sida</a>";
    links += "<a href=\"/d/kontinuitetsplan.pdf\">Kontinuitetsplan</a></body></html>";
    routes["/links"] = http_response("200 OK", "Content-Type: text/html\r\n", links);
    routes["/policy.pdf"] = http_response("200 OK", "Content-Type: application/pdf\r\n", slurp(kDocs + "/policy.pdf"));
    for (int i = 0; i < 7; ++i) {
        routes["/r" + std::to_string(i)] =
            http_response("302 Found", "Location: /r" + std::to_string(i + 1) + "\r\n", "");
    }
    HttpTestServer site(routes, cert.cert_file, cert.key_file);
    const auto entry = [&](const std::string& path) {
        return "{ id: doc, discover: \"" + site.base() + path + "\", ca_file: \"" + pki.ca_file() + "\" }";
    };
    EXPECT_THAT(probe_entry(entry("/many")).error, HasSubstr("lists more than 200 documents"));
    const Probed just200 = probe_entry(entry("/just"));
    EXPECT_EQ(just200.error, "");
    EXPECT_EQ(just200.facts.at("document.discovered_count").value, Value(std::int64_t{200}));
    EXPECT_THAT(probe_entry(entry("/policy.pdf")).error, HasSubstr("the listing page is not an HTML page"));
    EXPECT_THAT(probe_entry(entry("/links")).error, HasSubstr("has more than 10000 links"));
    EXPECT_THAT(probe_entry(entry("/r0")).error, HasSubstr("redirects more than 5 times"));
    EXPECT_THAT(probe_entry(entry("/finns-inte")).error, HasSubstr("answered HTTP 404"));
    // Not verified against the system store: the test CA is not in it.
    EXPECT_THAT(probe_entry("{ id: doc, discover: \"" + site.base() + "/just\" }").error, HasSubstr("cannot fetch"));
}

TEST(DocumentDiscoverTest, FolderOfDocumentsIsClassifiedByFileName) {
    testing_support::TempDir dir;
    fs::create_directories(dir.file("styrdokument/arkiv"));
    for (const char* name : {"Informationssakerhetspolicy_2024.pdf", "riktlinjer-losenord.docx",
                             "Kontinuitetsplan hemtjänst.odt", "ledningens-genomgang-2025.md", "protokoll.PDF",
                             ".~lock.policy.docx#", "policy.pdf.lisa.yaml", "bild.png"}) {
        std::ofstream(dir.file(std::string("styrdokument/") + name)) << "x";
    }
    std::ofstream(dir.file("styrdokument/arkiv/riskanalys.pdf")) << "x";  // not read: one folder only
    const Probed p = probe_entry("{ id: doc, discover: styrdokument }", dir.path());
    EXPECT_EQ(p.error, "");
    EXPECT_EQ(list_of(p, "document.discovered"),
              (StringList{"policy: Informationssakerhetspolicy_2024 <Informationssakerhetspolicy_2024.pdf>",
                          "kontinuitetsplan: Kontinuitetsplan hemtjänst <Kontinuitetsplan hemtjänst.odt>",
                          "ledningens_genomgang: ledningens-genomgang-2025 <ledningens-genomgang-2025.md>",
                          "övrigt: protokoll <protokoll.PDF>",
                          "riktlinje: riktlinjer-losenord <riktlinjer-losenord.docx>"}));
    EXPECT_EQ(list_of(p, "document.roles_missing"), (StringList{"riskanalys", "informationsklassning"}));
    EXPECT_THAT(p.facts.at("document.missing_role_count").source,
                HasSubstr("styrdokument: not found: riskanalys, informationsklassning"));

    EXPECT_THAT(probe_entry("{ id: doc, discover: finns-inte }", dir.path()).error,
                HasSubstr("discover: finns-inte is not a folder lisa can read"));
    for (int i = 0; i < 201; ++i) std::ofstream(dir.file("styrdokument/arkiv/r" + std::to_string(i) + ".pdf")) << "x";
    EXPECT_THAT(probe_entry("{ id: doc, discover: styrdokument/arkiv }", dir.path()).error,
                HasSubstr("holds more than 200 documents"));
}

TEST(DocumentDiscoverTest, InventoryChecksTheDiscoverEntry) {
    Diagnostics diags;
    const Inventory inv = load_inventory(
        {"inv.yaml", "isms:\n  documents:\n"
                     "    - { id: a, discover: \"http://www.exempelkommun.se/styrdokument/\" }\n"
                     "    - { id: b, discover: styrdokument, path: policy.pdf, beslutad: 2024-01-01 }\n"
                     "    - { id: c, discover: styrdokument, require_roles: [policy, kontinuitetsplaner] }\n"
                     "    - { id: d, role: riktlinje, path: r.pdf, require_roles: [policy] }\n"
                     "    - { id: e, discover: styrdokument, require_roles: [] }\n"
                     "    - { id: f, discover: \"https://registrator:hemligt@www.exempelkommun.se/styrdokument/\" }\n"
                     "    - { id: g, role: evidence, url: \"https://registrator:hemligt@www.exempelkommun.se/p.pdf\" }\n"
                     "    - { id: h, discover: \"https://a..se/styrdokument/\" }\n"},
        "/", diags);
    std::string all;
    for (const auto& d : diags.items()) all += d.to_string() + "\n";
    EXPECT_THAT(all, HasSubstr("inv.yaml:3:26: a 'discover' URL must be an https:// URL"));
    EXPECT_THAT(all, HasSubstr("'path' does not belong to a 'discover:' entry"));
    EXPECT_THAT(all, HasSubstr("'beslutad' does not belong to a 'discover:' entry"));
    EXPECT_THAT(all, HasSubstr("unknown role to discover 'kontinuitetsplaner' (did you mean 'kontinuitetsplan'?)"));
    EXPECT_THAT(all, HasSubstr("'require_roles' belongs to a 'discover:' entry"));
    EXPECT_THAT(all, HasSubstr("'require_roles' is empty"));
    EXPECT_THAT(all, HasSubstr("inv.yaml:8:26: a document's 'discover' must not carry credentials"));
    EXPECT_THAT(all, HasSubstr("inv.yaml:9:37: a document's 'url' must not carry credentials"));
    EXPECT_THAT(all, HasSubstr("inv.yaml:10:26: a document's 'discover': invalid host name"));
    EXPECT_THAT(all, Not(HasSubstr("hemligt")));  // the secret is never echoed

    Diagnostics ok;
    const Inventory good = load_inventory(
        {"inv.yaml", "organization: { name: Exempelkommun, population: 5000 }\nisms:\n  documents:\n    - { id: s, discover: \"https://www.exempelkommun.se/styrdokument/\" }\n"},
        "/", ok);
    EXPECT_TRUE(ok.empty());
    const int s = good.find(SubjectKind::Document, "s");
    ASSERT_GE(s, 0);
    // By default every role classify_title knows is required: the two lists are one.
    EXPECT_EQ(*find_value(good.subjects[static_cast<std::size_t>(s)].facts, "document.required_roles"),
              Value(document_classes()));
    // A discover entry without a role of its own adds none to the organisation's roles.
    EXPECT_EQ(*find_value(good.subjects[0].facts, "organization.isms.document_roles"), Value(StringList{}));
}

}  // namespace
}  // namespace lisa

// Documents by a fresh hand (scripts/make-fresh-documents): thirty documents of the three shapes
// written as municipalities write them, each with the facts a person reads in it, written by hand.
// Documents by a blind hand (scripts/make-blind-documents): twelve more, written and read by
// someone who never saw the parser. The blind files write values as JSON (true, ["a"]); the
// fresh ones as lisa displays them ("true", "[a]").
namespace lisa {
namespace {

std::string expected_display(const nlohmann::json& want) {
    if (want.is_string()) return want.get<std::string>();
    if (want.is_boolean()) return want.get<bool>() ? "true" : "false";
    if (want.is_array()) {
        std::string out = "[";
        for (const auto& item : want) {
            if (out.size() > 1) out += ", ";
            out += expected_display(item);
        }
        return out + "]";
    }
    return want.dump();
}

class DocumentByHandTest : public ::testing::TestWithParam<std::pair<const char*, std::size_t>> {};

TEST_P(DocumentByHandTest, EveryDocumentGivesWhatAPersonReadsInIt) {
    const std::string dir = kDocs + "/" + GetParam().first;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        const std::string suffix = ".expected-facts.json";
        if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
            names.push_back(n.substr(0, n.size() - suffix.size()));
        }
    }
    std::sort(names.begin(), names.end());
    ASSERT_EQ(names.size(), GetParam().second);
    int wrong = 0;
    for (const auto& name : names) {
        const nlohmann::json expected = nlohmann::json::parse(slurp(dir + "/" + name + ".expected-facts.json"));
        const Probed p = probe_file(name, dir);
        // A document with no decision in it (a remiss draft) is reported as such, and only then.
        const auto& want_facts = expected["facts"];
        if (want_facts.contains("beslutad") || want_facts.contains("beslutad_av") ||
            want_facts.contains("diarienummer")) {
            EXPECT_EQ(p.error, "") << name;
        } else {
            EXPECT_THAT(p.error, HasSubstr("no decision")) << name;
        }
        for (const auto& [fact, want] : expected["facts"].items()) {
            const auto it = p.facts.find("document." + fact);
            if (it == p.facts.end()) {
                ADD_FAILURE() << name << ": document." << fact << " not found, a person reads " << want;
                ++wrong;
                continue;
            }
            if (it->second.value.to_display() != expected_display(want)) {
                ADD_FAILURE() << name << ": document." << fact << " is " << it->second.value.to_display()
                              << ", a person reads " << want << " (" << it->second.source << ")";
                ++wrong;
            }
            // Every fact read from the text quotes the words it was found in.
            EXPECT_THAT(it->second.source, HasSubstr(": \"")) << name << " " << fact;
        }
        for (const auto& fact : expected["absent"]) {
            const auto it = p.facts.find("document." + fact.get<std::string>());
            if (it != p.facts.end()) {
                ADD_FAILURE() << name << ": document." << fact.get<std::string>() << " is "
                              << it->second.value.to_display() << ", but the document does not state it ("
                              << it->second.source << ")";
                ++wrong;
            }
        }
    }
    EXPECT_EQ(wrong, 0);
}

INSTANTIATE_TEST_SUITE_P(DocumentsByHand, DocumentByHandTest,
                         ::testing::Values(std::make_pair("fresh", std::size_t{30}),
                                           std::make_pair("blind", std::size_t{12})),
                         [](const ::testing::TestParamInfo<DocumentByHandTest::ParamType>& param_info) {
                             return std::string(param_info.param.first);
                         });

}  // namespace
}  // namespace lisa
