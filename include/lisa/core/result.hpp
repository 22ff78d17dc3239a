// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace lisa {

/// An expected failure: unreachable host, missing file, refused bind. Safe to print.
struct Error {
    std::string message;  ///< one line, lower case, never contains credentials
};

/**
 * Value-or-error for expected failures. Mirrors the std::expected (C++23) spelling.
 */
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const noexcept { return data_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    [[nodiscard]] const T& value() const& { return std::get<0>(data_); }
    [[nodiscard]] T& value() & { return std::get<0>(data_); }
    [[nodiscard]] T&& value() && { return std::get<0>(std::move(data_)); }
    [[nodiscard]] const Error& error() const& { return std::get<1>(data_); }

private:
    std::variant<T, Error> data_;
};

}  // namespace lisa
