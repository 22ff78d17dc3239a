// SPDX-License-Identifier: Apache-2.0
// Any bytes as an inventory: diagnostics or subjects, never a crash, hang or exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lisa/inventory/inventory.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    lisa::Diagnostics diags;
    const lisa::Inventory inv = lisa::load_inventory({"fuzz.yaml", text}, "/base", diags);
    for (std::size_t i = 0; i < inv.subjects.size(); ++i) {
        const int parent = inv.subjects[i].parent;
        if (parent >= static_cast<int>(i)) {
            __builtin_trap();  // parents always precede their children
        }
    }
    for (const auto& d : diags.items()) {
        if (d.location.line < 1 || d.location.column < 1) {
            __builtin_trap();
        }
    }
    return 0;
}
