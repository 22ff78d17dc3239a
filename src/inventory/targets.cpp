// SPDX-License-Identifier: Apache-2.0
#include "lisa/inventory/targets.hpp"

namespace lisa {

Result<Url> Url::parse(std::string_view text) {
    auto parsed = url::parse(text);
    if (!parsed) {
        return parsed.error();
    }
    return Url{std::string(text), std::move(parsed).value()};
}

int owner_of(const SubjectTarget& target, SubjectKind kind) noexcept {
    if (const auto* group = std::get_if<AccessGroupTarget>(&target); group && kind == SubjectKind::Directory) {
        return group->directory_index;
    }
    return -1;
}

}  // namespace lisa
