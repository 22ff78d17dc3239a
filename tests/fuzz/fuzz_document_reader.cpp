// SPDX-License-Identifier: Apache-2.0
// Any bytes as an evidence file, read in-process (the probe reads in a limited child): lisa's
// zip/XML glue over libzip and libxml2 for DOCX/ODT, the HTML walker, the Markdown reader. The
// name picks the reader when the bytes do not: a damaged .docx still goes to libzip. PDF is left
// out: poppler is fuzzed upstream, and lisa's PDF glue is a loop over pages in the child.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lisa/probes/document_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kNames[] = {"a.docx", "a.odt", "a.html", "a.md"};
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string_view name = kNames[data[0] % 4];
    if (lisa::sniff_format(bytes, name) == "pdf") return 0;
    lisa::ReaderLimits limits;
    limits.max_entry_bytes = 4u << 20;
    limits.max_total_bytes = 8u << 20;
    const auto text = lisa::read_document(bytes, name, limits);
    (void)lisa::text_facts(text.blocks);
    (void)lisa::text_facts(text.metadata);
    return 0;
}
