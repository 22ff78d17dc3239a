// SPDX-License-Identifier: Apache-2.0
// Evidence documents as municipalities keep them (PDF, DOCX, ODT, HTML, Markdown/plain text):
// the text a reader extracted, and the decision facts found in it.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/core/value.hpp"

namespace lisa {

/// One unit of extracted text and where it was: "p. 3" (PDF page), "stycke 12" (paragraph of a
/// DOCX/ODT/HTML/text file), "sidhuvud", "sidfot", or "metadata Subject" for the file's own
/// metadata. `text` is UTF-8, lines separated by '\n', table cells of one row by '\t'.
struct TextBlock {
    std::string where;
    std::string text;
};

/// A link on an HTML page: `href` as written (relative or absolute), `text` the link's words
/// (whitespace collapsed; the `title` attribute when it has none), at most 500 bytes.
struct DocumentLink {
    std::string href;
    std::string text;
};

/// At most this many links are read from one page (a listing of styrdokument has tens).
inline constexpr std::size_t kMaxPageLinks = 10000;

/// What a reader got out of one file.
struct DocumentText {
    std::string format;               ///< "pdf", "docx", "odt", "html", "text"
    std::vector<TextBlock> blocks;    ///< the document's own text, in reading order
    std::vector<TextBlock> metadata;  ///< one block per metadata field: where = "metadata KEY"
    std::vector<DocumentLink> links;  ///< HTML: every <a href> in document order (≤ kMaxPageLinks)
    bool links_truncated = false;     ///< the page has more links than kMaxPageLinks
    int pages = 0;                    ///< PDF pages (0 for other formats)
    std::string error;                ///< non-empty: the file could not be read (one line, why)
};

/// A fact found in text, with the span it was found in: `evidence` is `where: "quoted line"`
/// (e.g. `p. 1: "Fastställd av Kommunfullmäktige den 25 juni 2018, § 129"`), several spans
/// joined by " + ".
struct TextFact {
    Value value;
    std::string evidence;
};

/**
 * Pure: decision facts from a document's text. Names are without the "document." prefix:
 *  - `beslutad` (Date) / `beslutad_av` (String): the latest decision by a body that can adopt
 *    the document; `antagen` / `antagen_av`: the first adoption; `reviderad` (Date): the latest
 *    revision (by a body, which is then also the latest decision, or by an official).
 *    Bodies are normalised to `kommunfullmäktige`, `kommunstyrelsen`, `nämnd:<namn>` (lower case,
 *    e.g. `nämnd:socialnämnden`), `förvaltningsledning` or `kommundirektör`; the raw words are in
 *    the evidence. Shapes: sentences ("Antagen av kommunfullmäktige 31 oktober 2022",
 *    "Fastställd av Kommunfullmäktige den 25 juni 2018, § 129"), front-page label/value tables
 *    (Beslutad av / Beslutsdatum / Fastställd / Reviderad …), and protokollsutdrag
 *    ("Kommunfullmäktige beslutar att anta …" with the meeting date).
 *  - `diarienummer` (String, "KS 2024/123", "KS 2024/000123", after "Dnr"/"Diarienummer" or alone
 *    as <letters> <year>/<number>), `giltig_till` (Date) or `giltig_tills_vidare` (Bool, "t.v.",
 *    "tills vidare"), `omfattning` (List, from Omfattning / Tillämpningsområde / Gäller för, mapped by scope_ids),
 *    `dokumentagare` (String), `dokumenttyp` (String, the label or the title's word: policy,
 *    riktlinje, rutin, plan, protokoll …).
 *  - `conflicts` (List): statements in the text that disagree — two bodies named for the latest
 *    decision's day — each with both quotes; the higher body wins (kommunfullmäktige,
 *    kommunstyrelsen, a nämnd, förvaltningsledning, an official), never the order of the text.
 *  - `truncated` (Bool, true): the text has more than kMaxFactLines lines; only those were read.
 *  - `impossible_dates` (List): the quoted lines that give a date no calendar has ("31 februari
 *    2024", "2024-02-30"); such a date is never read as another one, nor silently dropped.
 * Dates: ISO YYYY-MM-DD, "25 juni 2018", "den 3 mars 2014". A word broken with a hyphen at the
 * end of a line is joined. Never throws; bounded: only the first kMaxFactLines lines are read.
 */
[[nodiscard]] std::map<std::string, TextFact> text_facts(const std::vector<TextBlock>& blocks);

/// Lines read by text_facts (a 200-page document has ~10,000).
inline constexpr std::size_t kMaxFactLines = 200000;

/// A Swedish or ISO date at the start of `words` ("25 juni 2018", "den 3 mars 2014",
/// "2018-06-25"); nullopt when there is none.
[[nodiscard]] std::optional<Date> parse_swedish_date(std::string_view text);

/**
 * The inventory's scope ids (`socialtjanst`, `hsl`; inventory `scope:`) a unit named under
 * Omfattning / Tillämpningsområde / Gäller för stands for; empty when it names neither.
 *  - socialtjanst: socialtjänst(en), socialförvaltning(en), socialnämnd(en), individ- och
 *    familjeomsorg, äldreomsorg, omsorgsförvaltning, funktionshinder/funktionsstöd/LSS, ekonomiskt
 *    bistånd, familjerätt, missbruk, socialpsykiatri (Socialstyrelsen's verksamhetsområden);
 *  - hsl: (kommunal) hälso- och sjukvård, HSL;
 *  - both: vård och omsorg (förvaltning or nämnd), and the whole organisation ("hela kommunen",
 *    "samtliga förvaltningar", "alla verksamheter", "kommunkoncernen", "alla anställda").
 * text_facts gives `omfattning` as these ids (socialtjanst first) followed by the units that
 * matched none, as written; the quoted line keeps the document's own words.
 */
[[nodiscard]] StringList scope_ids(std::string_view unit);

/**
 * The roles a governing document's title says it has, for `discover:` (issue 13 item 7):
 * `policy` (…policy), `riktlinje` (riktlinje/riktlinjer), `riskanalys` (riskanalys,
 * riskuppföljning, riskbedömning, risk- och sårbarhetsanalys), `informationsklassning`
 * (informationsklassning, klassning/klassificering av information), `kontinuitetsplan`
 * (kontinuitetsplan, kontinuitetsplanering, kontinuitetshantering) and `ledningens_genomgang`
 * (ledningens genomgång). A title may have several ("Riktlinje för informationsklassning" is a
 * riktlinje and informationsklassning); none when it names no role. Any case; å/ä/ö may be
 * written a/a/o and words joined by '-', '_' or '%20' as in file names
 * ("Informationssakerhetspolicy_2024.pdf"). Pure.
 */
[[nodiscard]] StringList classify_title(std::string_view title);

/// Every role classify_title gives, in this order.
[[nodiscard]] const StringList& document_classes();

/// The decision body in `text` normalised as above; empty when none is named.
[[nodiscard]] std::string normalise_body(std::string_view text);

/// Limits for one reader child process.
struct ReaderLimits {
    std::chrono::milliseconds wall{20000};  ///< killed (SIGKILL) after this
    unsigned cpu_seconds = 15;              ///< RLIMIT_CPU
    std::size_t memory_bytes = 768u << 20;  ///< RLIMIT_AS above what the process already maps
    std::size_t output_bytes = 16u << 20;   ///< largest result the parent reads from the pipe
    std::size_t max_pages = 2000;           ///< PDF pages read
    std::size_t max_zip_entries = 5000;     ///< DOCX/ODT entries
    std::size_t max_entry_bytes = 64u << 20;  ///< one decompressed zip entry
    std::size_t max_total_bytes = 128u << 20; ///< all decompressed entries read together
};

/// Which reader a file needs, from its first bytes and (for HTML) its name: "pdf", "zip",
/// "html" or "text"; "" when it is no format lisa reads (binary).
[[nodiscard]] std::string sniff_format(std::string_view bytes, std::string_view name);

/**
 * Reads a PDF (poppler-cpp: text per page, Info dictionary; an owner password is ignored, a
 * user password is an error; no text on any page → "scanned PDF without a text layer"), DOCX or
 * ODT (libzip + libxml2: body, headers/footers, docProps/core.xml + custom.xml, meta.xml; caps
 * on entries and decompressed size, a zip bomb is refused), HTML (libxml2's HTML parser, <meta>,
 * and its <a href> links) in-process. Use read_document_isolated from a probe.
 */
[[nodiscard]] DocumentText read_document(std::string_view bytes, std::string_view name,
                                         const ReaderLimits& limits);

/// Markdown or plain text: paragraphs separated by blank lines, markup stripped. Pure.
[[nodiscard]] DocumentText read_plain_text(std::string_view text);

/**
 * read_document in a process of its own, the program lisa-document-reader (started with
 * posix_spawn, never a bare fork of the multi-threaded scan), limited by RLIMIT_CPU, RLIMIT_AS
 * (not under AddressSanitizer, which needs its shadow memory), no file writes and a wall-clock
 * deadline after which it is killed; the parent reads at most limits.output_bytes of the result
 * over a pipe. A missing reader program, a crash, a timeout or exhausted memory is returned as
 * `error`, never thrown.
 */
[[nodiscard]] DocumentText read_document_isolated(std::string_view bytes, std::string_view name,
                                                  const ReaderLimits& limits = {});

/**
 * Where read_document_isolated finds lisa-document-reader: $LISA_DOCUMENT_READER when set; else
 * the installed layout relative to the running binary (bin/../libexec/lisa/); else beside it (the
 * build tree's lisa); else the build tree's copy (test programs). Empty when none is executable.
 */
[[nodiscard]] std::string document_reader_path();

}  // namespace lisa
