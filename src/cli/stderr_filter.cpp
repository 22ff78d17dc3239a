// SPDX-License-Identifier: Apache-2.0
// Standard error passes the terminal sanitiser (core/text.hpp terminal_text) line by line, so no
// message — an error naming a file, a municipality code or a value read from a hostile input —
// can carry a control sequence to the operator's terminal, whichever command wrote it.
#include "cli.hpp"

namespace lisa::cli {
namespace {

/// At most this many bytes of one line are held before they are written (a line with no end).
constexpr std::size_t kMaxHeld = 64 * 1024;

class SanitisingBuffer final : public std::streambuf {
public:
    explicit SanitisingBuffer(std::streambuf* to) : to_(to) {}
    void flush_held() {
        emit(line_.size());
        to_->pubsync();
    }

protected:
    int_type overflow(int_type ch) override {
        if (traits_type::eq_int_type(ch, traits_type::eof())) {
            return traits_type::not_eof(ch);
        }
        const char c = traits_type::to_char_type(ch);
        xsputn(&c, 1);
        return ch;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        line_.append(s, static_cast<std::size_t>(n));
        if (const auto end = line_.rfind('\n'); end != std::string::npos) {
            emit(end + 1);  // every whole line written so far
        }
        if (line_.size() > kMaxHeld) {
            std::size_t cut = line_.size();
            while (cut > 0 && (static_cast<unsigned char>(line_[cut - 1]) & 0xC0) == 0x80) --cut;  // whole code points
            if (cut > 0 && static_cast<unsigned char>(line_[cut - 1]) >= 0xC0) --cut;
            emit(cut > 0 ? cut : line_.size());  // no boundary at all: invalid UTF-8, written whole (as U+FFFD)
        }
        return n;
    }
    int sync() override { return to_->pubsync(); }  // a partial line waits for its end

private:
    void emit(std::size_t bytes) {
        if (bytes == 0) return;
        const std::string text = terminal_text(std::string_view(line_).substr(0, bytes));
        to_->sputn(text.data(), static_cast<std::streamsize>(text.size()));
        line_.erase(0, bytes);
    }

    std::streambuf* to_;
    std::string line_;
};

std::streambuf*& original_stderr() {
    static std::streambuf* original = nullptr;
    return original;
}

}  // namespace

struct StderrSanitiser::Impl {
    explicit Impl(std::streambuf* to) : buffer(to) {}
    SanitisingBuffer buffer;
};

StderrSanitiser::StderrSanitiser() : impl_(std::make_unique<Impl>(std::cerr.rdbuf())) {
    original_stderr() = std::cerr.rdbuf(&impl_->buffer);
}

StderrSanitiser::~StderrSanitiser() {
    impl_->buffer.flush_held();
    std::cerr.rdbuf(original_stderr());
    original_stderr() = nullptr;
}

std::ostream& terminal_controls() {
    static std::ostream raw(nullptr);
    raw.rdbuf(original_stderr() != nullptr ? original_stderr() : std::cerr.rdbuf());
    return raw;
}

}  // namespace lisa::cli
