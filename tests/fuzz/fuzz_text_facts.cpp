// SPDX-License-Identifier: Apache-2.0
// Any bytes as a document's text: split into blocks (pages, paragraphs, metadata) and searched
// for decision facts; also read as Markdown/plain text. Documents come from anyone; no input may
// crash, hang, overread or produce a quote that is not bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lisa/probes/document_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<lisa::TextBlock> blocks;
    std::size_t start = 0;
    while (start <= text.size() && blocks.size() < 64) {
        const std::size_t end = text.find('\f', start);
        blocks.push_back({"p. " + std::to_string(blocks.size() + 1),
                          text.substr(start, end == std::string::npos ? std::string::npos : end - start)});
        if (end == std::string::npos) break;
        start = end + 1;
    }
    for (const auto& [name, fact] : lisa::text_facts(blocks)) {
        if (fact.evidence.size() > 4096) __builtin_trap();
    }
    (void)lisa::text_facts(lisa::read_plain_text(text).blocks);
    (void)lisa::parse_swedish_date(text);
    (void)lisa::normalise_body(text);
    // discover: titles and Omfattning units come from anyone's web page or file names.
    for (const auto& role : lisa::classify_title(text)) {
        if (role.empty()) __builtin_trap();
    }
    (void)lisa::scope_ids(text);
    return 0;
}
