// SPDX-License-Identifier: Apache-2.0
// Any bytes as a system register (lisa init): the XLSX cell reader (lisa's glue over libzip and
// libxml2: parts, shared and inline strings, styles, date serials), the CSV reader in both
// encodings, and the inventory made from whatever table comes out; and the same XLSX bytes read
// as a filled-in action plan (issue 16 item 9: keys, dates, statuses). The first byte picks the path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lisa/register/action_plan.hpp"
#include "lisa/register/register.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    lisa::reg::TableLimits limits;
    limits.max_part_bytes = 4u << 20;
    limits.max_total_bytes = 8u << 20;
    limits.max_rows = 5'000;
    if (data[0] % 4 == 3) {
        const auto plan = lisa::reg::read_action_plan(bytes, limits);
        for (const auto& p : plan.problems) {
            (void)p.cell();
        }
        return 0;
    }
    const int path = data[0] % 4;
    // What the register is by content, and every sheet of a workbook (lisa init --sheet / the search
    // for the register's sheet).
    (void)lisa::reg::detect_register_format(bytes);
    if (path == 0) {
        if (auto names = lisa::reg::xlsx_sheet_names(bytes, limits); names && !names.value().empty()) {
            if (auto sheet = lisa::reg::read_xlsx_sheet(bytes, names.value().back(), limits)) {
                (void)lisa::reg::header_row(sheet.value(), {});
            }
        }
    }
    auto table = path == 0 ? lisa::reg::read_xlsx(bytes, limits)
                           : lisa::reg::read_csv(bytes, path == 1 ? "utf-8" : "windows-1252", limits);
    if (table) {
        lisa::Diagnostics diagnostics;
        (void)lisa::reg::make_inventory(table.value(), {}, "register", diagnostics);
    }
    return 0;
}
