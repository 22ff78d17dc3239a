// SPDX-License-Identifier: Apache-2.0
// Format readers for evidence documents (document_text.hpp). Run them in a child process
// (isolated_reader.cpp): poppler cannot be cancelled in-process, and a hostile file must not
// take the scan down with it. No parser here is our own: poppler-cpp reads PDF, libzip reads
// the zip container, libxml2 reads XML and HTML; this file only walks their results.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "lisa/probes/document_text.hpp"

namespace lisa {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// ---------------------------------------------------------------- PDF (poppler-cpp)

void quiet_poppler(const std::string&, void*) {}

DocumentText read_pdf(std::string_view bytes, const ReaderLimits& limits) {
    DocumentText out;
    out.format = "pdf";
    poppler::set_debug_error_function(quiet_poppler, nullptr);
    std::vector<char> data(bytes.begin(), bytes.end());
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        data.data(), static_cast<int>(data.size())));
    if (!doc) {
        out.error = "damaged PDF: poppler cannot open it";
        return out;
    }
    if (doc->is_locked()) {
        // An owner password (permissions only) does not lock the document; a user password does.
        out.error = "encrypted PDF: it needs a password to open; give lisa an unencrypted copy";
        return out;
    }
    for (const auto& key : doc->info_keys()) {
        if (key == "Producer" || key == "Creator" || key == "CreationDate" || key == "ModDate" || key == "Trapped") {
            continue;  // the software and the file's dates, not the decision's
        }
        const auto bytes_utf8 = doc->info_key(key).to_utf8();
        std::string value(bytes_utf8.begin(), bytes_utf8.end());
        if (!value.empty()) out.metadata.push_back({"metadata " + key, key + ": " + value});
    }
    const int pages = doc->pages();
    out.pages = pages;
    bool any_text = false;
    for (int i = 0; i < pages && static_cast<std::size_t>(i) < limits.max_pages; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        const auto utf8 = page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
        std::string text(utf8.begin(), utf8.end());
        if (std::any_of(text.begin(), text.end(), [](char c) { return c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f'; })) {
            any_text = true;
        }
        out.blocks.push_back({"p. " + std::to_string(i + 1), std::move(text)});
    }
    if (!any_text) {
        out.blocks.clear();
        out.error = "scanned PDF without a text layer: run OCR on it, or state its decision in a sidecar";
    }
    return out;
}

// ---------------------------------------------------------------- XML walking (DOCX, ODT, HTML)

std::string_view local_name(const xmlNode* n) {
    return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view{};
}

std::string attr(const xmlNode* n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!v) return {};
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

std::string node_text(const xmlNode* n) {
    xmlChar* v = xmlNodeGetContent(n);
    if (!v) return {};
    std::string s(reinterpret_cast<const char*>(v));
    xmlFree(v);
    return s;
}

enum class Dialect { Docx, Odt, Html };

// Collects paragraphs (one TextBlock each, "stycke N") and table rows (cells joined by '\t').
class Walker {
public:
    Walker(Dialect d, std::string where_prefix) : d_(d), prefix_(std::move(where_prefix)) {}

    void walk(const xmlNode* n, int depth = 0) {
        for (; n; n = n->next) {
            if (depth > 200) return;
            if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
                if (text_ok_) append(reinterpret_cast<const char*>(n->content));
                continue;
            }
            if (n->type != XML_ELEMENT_NODE) continue;
            const std::string name = d_ == Dialect::Html ? lower_ascii(local_name(n)) : std::string(local_name(n));
            if (d_ == Dialect::Html && (name == "script" || name == "style" || name == "head" || name == "noscript")) continue;
            if (d_ == Dialect::Docx && (name == "instrText" || name == "delText" || name == "fldChar")) continue;
            if (is_row(name)) {
                flush_par();
                in_row_ = true;
                row_.clear();
                walk(n->children, depth + 1);
                flush_par();
                in_row_ = false;
                if (!row_.empty()) emit(row_);
                row_.clear();
                continue;
            }
            if (is_break(name)) { cur_ += '\n'; continue; }
            if (is_tab(name)) { cur_ += in_row_ ? ' ' : '\t'; continue; }
            if (d_ == Dialect::Odt && name == "s") {
                const std::string c = attr(n, "c");
                int count = c.empty() ? 1 : std::clamp(std::atoi(c.c_str()), 1, 64);
                cur_.append(static_cast<std::size_t>(count), ' ');
                continue;
            }
            if (d_ == Dialect::Odt && (name == "note" || name == "tracked-changes")) continue;
            const bool par = is_par(name);
            if (par) flush_par();
            const bool saved = text_ok_;
            if (d_ == Dialect::Docx) text_ok_ = name == "t" || (saved && name != "p");
            if (d_ != Dialect::Docx) text_ok_ = true;
            walk(n->children, depth + 1);
            text_ok_ = saved;
            if (par) flush_par();
        }
    }

    void finish() { flush_par(); }
    std::vector<TextBlock> blocks;

private:
    bool is_par(const std::string& n) const {
        switch (d_) {
            case Dialect::Docx: return n == "p";
            case Dialect::Odt: return n == "p" || n == "h";
            case Dialect::Html:
                return n == "p" || n == "div" || n == "li" || n == "h1" || n == "h2" || n == "h3" || n == "h4" ||
                       n == "h5" || n == "h6" || n == "dt" || n == "dd" || n == "title" || n == "section" ||
                       n == "article" || n == "header" || n == "footer" || n == "td" || n == "th" ||
                       n == "blockquote" || n == "pre";
        }
        return false;
    }
    bool is_row(const std::string& n) const {
        return d_ == Dialect::Docx ? n == "tr" : d_ == Dialect::Odt ? n == "table-row" : n == "tr";
    }
    bool is_break(const std::string& n) const {
        return d_ == Dialect::Docx ? (n == "br" || n == "cr") : d_ == Dialect::Odt ? n == "line-break" : n == "br";
    }
    bool is_tab(const std::string& n) const { return d_ != Dialect::Html && n == "tab"; }

    void append(const char* s) {
        if (!s) return;
        if (cur_.size() < (1u << 20)) cur_ += s;
    }
    void flush_par() {
        std::string t = cur_;
        cur_.clear();
        // Collapse HTML's source whitespace; keep tabs (cells) and explicit line breaks.
        if (d_ == Dialect::Html) {
            std::string c;
            for (char ch : t) {
                if (ch == '\r' || ch == '\n' || ch == ' ') {
                    if (!c.empty() && c.back() != ' ' && c.back() != '\t') c += ' ';
                } else {
                    c += ch;
                }
            }
            t = c;
        }
        const bool blank = std::all_of(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
        if (blank) return;
        if (in_row_) {
            if (!row_.empty()) row_ += '\t';
            row_ += t;
            return;
        }
        emit(t);
    }
    void emit(const std::string& t) {
        ++n_;
        blocks.push_back({prefix_ + std::to_string(n_), t});
    }

    Dialect d_;
    std::string prefix_;
    std::string cur_, row_;
    bool in_row_ = false;
    bool text_ok_ = false;
    int n_ = 0;
};

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

XmlDoc parse_xml(const std::string& bytes) {
    // No network, no entity substitution, no DTD loading: the defaults libxml2 keeps safe.
    return XmlDoc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                  xmlFreeDoc);
}

// Metadata elements whose text is worth reading (Dublin Core, OOXML core, ODF meta).
void collect_meta(const xmlNode* n, std::vector<TextBlock>* out, int depth = 0) {
    for (; n && depth < 50; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const std::string name(local_name(n));
        std::string key;
        if (name == "title" || name == "subject" || name == "description" || name == "keywords" ||
            name == "keyword" || name == "category" || name == "creator") {
            key = name;
        } else if (name == "user-defined" || name == "property") {
            key = attr(n, "name");
        }
        if (!key.empty()) {
            const std::string value = node_text(n);
            if (!value.empty() && out->size() < 200) out->push_back({"metadata " + key, key + ": " + value});
            continue;
        }
        collect_meta(n->children, out, depth + 1);
    }
}

// ---------------------------------------------------------------- zip (libzip)

class Zip {
public:
    explicit Zip(std::string_view bytes, const ReaderLimits& limits) : limits_(limits) {
        zip_error_t err;
        zip_error_init(&err);
        zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
        if (!src) {
            error = "cannot read the zip container";
            return;
        }
        za_ = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
        if (!za_) {
            zip_source_free(src);
            error = std::string("damaged zip container: ") + zip_error_strerror(&err);
            zip_error_fini(&err);
            return;
        }
        zip_error_fini(&err);
        const zip_int64_t n = zip_get_num_entries(za_, 0);
        if (n < 0 || static_cast<std::size_t>(n) > limits_.max_zip_entries) {
            error = "zip container has " + std::to_string(n) + " entries, more than the " +
                    std::to_string(limits_.max_zip_entries) + " lisa reads";
        }
    }
    ~Zip() {
        if (za_) zip_discard(za_);
    }
    Zip(const Zip&) = delete;
    Zip& operator=(const Zip&) = delete;

    bool has(const char* name) const { return za_ && zip_name_locate(za_, name, 0) >= 0; }

    // The entry's bytes; nullopt if absent. A cap overrun sets `error` (a zip bomb).
    std::optional<std::string> read(const char* name) {
        if (!za_ || !error.empty()) return std::nullopt;
        const zip_int64_t idx = zip_name_locate(za_, name, 0);
        if (idx < 0) return std::nullopt;
        zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(idx), 0);
        if (!f) {
            error = std::string("damaged zip entry ") + name + ": " + zip_strerror(za_);
            return std::nullopt;
        }
        std::string out;
        char buf[65536];
        for (;;) {
            const zip_int64_t got = zip_fread(f, buf, sizeof buf);
            if (got < 0) {
                error = std::string("damaged zip entry ") + name + ": " + zip_file_strerror(f);
                zip_fclose(f);
                return std::nullopt;
            }
            if (got == 0) break;
            out.append(buf, static_cast<std::size_t>(got));
            total_ += static_cast<std::size_t>(got);
            if (out.size() > limits_.max_entry_bytes || total_ > limits_.max_total_bytes) {
                error = std::string("zip entry ") + name + " decompresses to more than " +
                        std::to_string((out.size() > limits_.max_entry_bytes ? limits_.max_entry_bytes
                                                                              : limits_.max_total_bytes) >> 20) +
                        " MiB: refused as a zip bomb";
                zip_fclose(f);
                return std::nullopt;
            }
        }
        zip_fclose(f);
        return out;
    }

    std::vector<std::string> names() const {
        std::vector<std::string> out;
        if (!za_) return out;
        const zip_int64_t n = zip_get_num_entries(za_, 0);
        for (zip_int64_t i = 0; i < n; ++i) {
            const char* nm = zip_get_name(za_, static_cast<zip_uint64_t>(i), 0);
            if (nm) out.emplace_back(nm);
        }
        return out;
    }

    std::string error;

private:
    const ReaderLimits& limits_;
    zip_t* za_ = nullptr;
    std::size_t total_ = 0;
};

bool read_xml_part(Zip& zip, const char* name, Dialect d, const std::string& where, bool required,
                   DocumentText* out) {
    auto bytes = zip.read(name);
    if (!zip.error.empty()) {
        out->error = zip.error;
        return false;
    }
    if (!bytes) {
        if (required) out->error = std::string("the ") + out->format + " has no " + name;
        return !required;
    }
    XmlDoc doc = parse_xml(*bytes);
    if (!doc) {
        if (required) out->error = std::string(name) + " in the " + out->format + " is not well-formed XML";
        return !required;
    }
    Walker w(d, where);
    w.walk(xmlDocGetRootElement(doc.get()));
    w.finish();
    for (auto& b : w.blocks) out->blocks.push_back(std::move(b));
    return true;
}

void read_meta_part(Zip& zip, const char* name, DocumentText* out) {
    auto bytes = zip.read(name);
    if (!bytes) return;
    XmlDoc doc = parse_xml(*bytes);
    if (doc) collect_meta(xmlDocGetRootElement(doc.get()), &out->metadata);
}

DocumentText read_zip(std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
    DocumentText out;
    Zip zip(bytes, limits);
    const std::string ext = lower_ascii(name.substr(std::min(name.size(), name.rfind('.') == std::string_view::npos ? name.size() : name.rfind('.'))));
    out.format = ext == ".odt" ? "odt" : "docx";
    if (!zip.error.empty()) {
        out.error = (out.format == "odt" ? "damaged ODT: " : "damaged DOCX: ") + zip.error;
        return out;
    }
    if (zip.has("word/document.xml")) {
        out.format = "docx";
        // Headers and footers first: the decision line often sits there.
        for (const auto& entry : zip.names()) {
            const bool header = entry.rfind("word/header", 0) == 0 && ends_with(entry, ".xml");
            const bool footer = entry.rfind("word/footer", 0) == 0 && ends_with(entry, ".xml");
            if (!header && !footer) continue;
            if (!read_xml_part(zip, entry.c_str(), Dialect::Docx, header ? "sidhuvud " : "sidfot ", false, &out)) return out;
            if (!zip.error.empty()) { out.error = zip.error; return out; }
        }
        if (!read_xml_part(zip, "word/document.xml", Dialect::Docx, "stycke ", true, &out)) return out;
        read_meta_part(zip, "docProps/core.xml", &out);
        read_meta_part(zip, "docProps/custom.xml", &out);
    } else if (zip.has("content.xml")) {
        out.format = "odt";
        if (!read_xml_part(zip, "styles.xml", Dialect::Odt, "sidhuvud/sidfot ", false, &out)) return out;
        if (!read_xml_part(zip, "content.xml", Dialect::Odt, "stycke ", true, &out)) return out;
        read_meta_part(zip, "meta.xml", &out);
    } else {
        out.error = "a zip archive that is neither DOCX (word/document.xml) nor ODT (content.xml)";
        return out;
    }
    if (!zip.error.empty()) out.error = zip.error;
    return out;
}

// ---------------------------------------------------------------- HTML (libxml2)

void collect_html_meta(const xmlNode* n, std::vector<TextBlock>* out, int depth = 0) {
    for (; n && depth < 100; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const std::string name = lower_ascii(local_name(n));
        if (name == "meta") {
            std::string key = attr(n, "name");
            if (key.empty()) key = attr(n, "property");
            const std::string content = attr(n, "content");
            const std::string k = lower_ascii(key);
            if (!key.empty() && !content.empty() && k != "viewport" && k != "generator" && k != "robots" &&
                out->size() < 200) {
                out->push_back({"metadata " + key, key + ": " + content});
            }
            continue;
        }
        if (name == "body") continue;
        collect_html_meta(n->children, out, depth + 1);
    }
}

std::string collapsed(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
        if (out.size() >= max) break;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    // Never cut inside a UTF-8 sequence.
    while (out.size() >= max && !out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) out.pop_back();
    return out;
}

// Every <a href> in document order, iteratively (no recursion on a deeply nested page).
bool collect_links(const xmlNode* root, std::vector<DocumentLink>* out) {
    std::vector<const xmlNode*> stack;
    if (root) stack.push_back(root);
    while (!stack.empty()) {
        const xmlNode* n = stack.back();
        stack.pop_back();
        if (n->type != XML_ELEMENT_NODE) continue;
        if (lower_ascii(local_name(n)) == "a") {
            std::string href = attr(n, "href");
            if (!href.empty() && href.size() <= 4096) {
                if (out->size() == kMaxPageLinks) return true;  // more than the cap: said, never hidden
                // The link's words, and its title attribute when it says more ("Ladda ner (docx)"
                // titled "Kontinuitetsplan för IT"): both name the document.
                std::string text = collapsed(node_text(n), 500);
                const std::string title = collapsed(attr(n, "title"), 500);
                if (text.empty()) {
                    text = title;
                } else if (!title.empty() && text.find(title) == std::string::npos) {
                    text = collapsed(text + " – " + title, 500);
                }
                out->push_back({std::move(href), std::move(text)});
            }
            continue;
        }
        // Children pushed last-first so they are visited in document order.
        std::vector<const xmlNode*> children;
        for (const xmlNode* c = n->children; c; c = c->next) children.push_back(c);
        for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
    return false;
}

DocumentText read_html(std::string_view bytes) {
    DocumentText out;
    out.format = "html";
    using HtmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;
    HtmlDoc doc(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                               HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER),
                xmlFreeDoc);
    if (!doc) {
        out.error = "the HTML page cannot be parsed";
        return out;
    }
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    collect_html_meta(root, &out.metadata);
    out.links_truncated = collect_links(root, &out.links);
    Walker w(Dialect::Html, "stycke ");
    w.walk(root);
    w.finish();
    out.blocks = std::move(w.blocks);
    return out;
}

}  // namespace

DocumentText read_document(std::string_view bytes, std::string_view name, const ReaderLimits& limits) {
    if (bytes.empty()) {  // whatever its name says it is: nothing to read
        DocumentText out;
        out.error = "the file is empty (0 bytes)";
        return out;
    }
    const std::string kind = sniff_format(bytes, name);
    if (kind == "pdf") return read_pdf(bytes, limits);
    if (kind == "zip") return read_zip(bytes, name, limits);
    if (kind == "html") return read_html(bytes);
    if (kind == "text") return read_plain_text(bytes);
    DocumentText out;
    out.error = "not a format lisa reads (PDF, DOCX, ODT, HTML, Markdown or plain text)";
    return out;
}

}  // namespace lisa
