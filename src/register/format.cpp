// SPDX-License-Identifier: Apache-2.0
// What a register file is, judged by its content (magic bytes, the zip's parts), never by its name
// (lisa/register/register.hpp: detect_register_format). libzip lists a zip's entries; nothing is
// decompressed here except an OpenDocument `mimetype` entry (at most 100 bytes).
#include <zip.h>

#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "lisa/register/register.hpp"

namespace lisa::reg {
namespace {

constexpr const char* kSaveAs = "open it in Excel or LibreOffice Calc and save it as .xlsx (Excel-arbetsbok) or CSV (UTF-8 or "
                                "semicolon-separated), then run lisa init on that file";

bool starts_with(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

// The zip's entry names (at most `cap`) and its `mimetype` entry's text; false when not a zip.
bool zip_entries(std::string_view bytes, std::vector<std::string>& names, std::string& mimetype, std::size_t cap) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) {
        zip_error_fini(&err);
        return false;
    }
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
    zip_error_fini(&err);
    if (za == nullptr) {
        zip_source_free(src);
        return false;
    }
    const zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && names.size() < cap; ++i) {
        if (const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0)) names.emplace_back(name);
    }
    if (zip_file_t* f = zip_fopen(za, "mimetype", 0)) {
        char buf[100];
        const zip_int64_t got = zip_fread(f, buf, sizeof buf);
        if (got > 0) mimetype.assign(buf, static_cast<std::size_t>(got));
        zip_fclose(f);
    }
    zip_discard(za);
    return true;
}

RegisterFormat unsupported(std::string message) {
    RegisterFormat out;
    out.kind = RegisterFormat::Unsupported;
    out.message = std::move(message);
    return out;
}

/// What a file is by its first bytes (old Excel, PDF, UTF-16, RTF), as the message that says
/// what to do; nullopt when none of these.
std::optional<std::string> magic_problem(std::string_view bytes) {
    // Compound File Binary (MS-CFB §2.2): the old Excel .xls (BIFF8), also old Word/.doc.
    if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
        return "this is an old Excel workbook (.xls, Excel 97–2003), which lisa does not read: " + std::string(kSaveAs);
    }
    if (starts_with(bytes, "%PDF-")) {
        return "this is a PDF document, not a spreadsheet: export the register from the spreadsheet it was "
               "made in, or " + std::string(kSaveAs);
    }
    if (starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF")) {
        return std::string("this is UTF-16 text (Excel's \"Unicode text\"), which lisa does not read: save it as CSV UTF-8 "
                           "(kommaavgränsad, UTF-8) or .xlsx");
    }
    if (starts_with(bytes, "{\\rtf")) {
        return "this is an RTF document, not a spreadsheet: " + std::string(kSaveAs);
    }
    return std::nullopt;
}

/// HTML saved under a spreadsheet's name (what many web systems export as ".xls"), or Excel
/// 2003 XML.
bool is_web_page(std::string_view bytes) {
    std::size_t i = starts_with(bytes, "\xEF\xBB\xBF") ? 3 : 0;
    while (i < bytes.size() && i < 4096 && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    std::string head(bytes.substr(i, 64));
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return starts_with(head, "<!doctype html") || starts_with(head, "<html") || starts_with(head, "<table") ||
           (starts_with(head, "<?xml") && bytes.substr(0, 4096).find("urn:schemas-microsoft-com:office:spreadsheet") != std::string_view::npos);
}

/// What a zip container holds, by its parts: an XLSX workbook, or the message naming what it is.
RegisterFormat zip_format(std::string_view bytes) {
    std::vector<std::string> names;
    std::string mimetype;
    if (!zip_entries(bytes, names, mimetype, 10'000)) {
        return unsupported("this is a damaged zip container (a damaged or partly copied .xlsx?): save the register again "
                           "as .xlsx or CSV");
    }
    const auto has = [&](const std::string& name) {
        for (const auto& n : names) {
            if (n == name) return true;
        }
        return false;
    };
    const auto has_prefix = [&](const std::string& prefix) {
        for (const auto& n : names) {
            if (n.rfind(prefix, 0) == 0) return true;
        }
        return false;
    };
    if (has("xl/workbook.xml")) {
        RegisterFormat out;
        out.kind = RegisterFormat::Xlsx;
        return out;
    }
    if (mimetype.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) == 0) {
        return unsupported("this is an OpenDocument spreadsheet (.ods, LibreOffice/OpenOffice Calc), which lisa does not "
                           "read: in LibreOffice Calc choose Arkiv > Spara som > Excel 2007–365 (.xlsx) or Text CSV");
    }
    if (mimetype.rfind("application/vnd.oasis.opendocument.", 0) == 0) {
        return unsupported("this is an OpenDocument file that is not a spreadsheet (" + mimetype.substr(35, 40) +
                           "): " + std::string(kSaveAs));
    }
    if (has("Index/Document.iwa") || has("Index.zip") || has_prefix("Index/")) {
        return unsupported("this is an Apple Numbers document, which lisa does not read: in Numbers choose Arkiv > "
                           "Exportera till > Excel (.xlsx) or CSV");
    }
    if (has("word/document.xml")) {
        return unsupported("this is a Word document (.docx), not a spreadsheet: " + std::string(kSaveAs));
    }
    if (has("ppt/presentation.xml")) {
        return unsupported("this is a PowerPoint presentation (.pptx), not a spreadsheet: " + std::string(kSaveAs));
    }
    if (has("xl/workbook.bin")) {
        return unsupported("this is an Excel binary workbook (.xlsb), which lisa does not read: in Excel choose Spara som "
                           "> Excel-arbetsbok (.xlsx) or CSV");
    }
    return unsupported("this is a zip archive that is not an XLSX workbook (no xl/workbook.xml among its " +
                       std::to_string(names.size()) + " entries): unpack it, or " + std::string(kSaveAs));
}

}  // namespace

RegisterFormat detect_register_format(std::string_view bytes) {
    if (auto problem = magic_problem(bytes)) {
        return unsupported(std::move(*problem));
    }
    if (is_web_page(bytes)) {
        return unsupported("this is a web page or Excel 2003 XML saved under a spreadsheet's name, not a workbook lisa "
                           "reads: " + std::string(kSaveAs));
    }
    if (starts_with(bytes, "PK\x03\x04") || starts_with(bytes, "PK\x05\x06")) {
        return zip_format(bytes);
    }
    // Other binary content: NUL bytes never occur in a CSV register.
    if (bytes.substr(0, 8192).find('\0') != std::string_view::npos) {
        return unsupported("this is a binary file, neither .xlsx nor CSV text: " + std::string(kSaveAs));
    }
    RegisterFormat out;
    out.kind = RegisterFormat::Csv;
    return out;
}

}  // namespace lisa::reg
