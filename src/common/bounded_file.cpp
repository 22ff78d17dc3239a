// SPDX-License-Identifier: Apache-2.0
#include "bounded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lisa::io {
namespace {

const char* kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISDIR(mode)) return "a directory";
    return "not a plain file";
}

class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

}  // namespace

Result<std::string> read_regular_file(const std::string& path, std::size_t max_bytes,
                                      FileProblem* problem) {
    const auto fail = [&](FileProblem kind, std::string message) {
        if (problem != nullptr) {
            *problem = kind;
        }
        return Error{std::move(message)};
    };
    if (problem != nullptr) {
        *problem = FileProblem::None;
    }
    int raw = -1;
    do {
        raw = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    } while (raw < 0 && errno == EINTR);
    if (raw < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            return fail(FileProblem::NotFound, path + ": no such file");
        }
        if (err == ENXIO) {  // a socket, or a FIFO/device nobody serves
            return fail(FileProblem::NotRegular, path + " is not a regular file");
        }
        return fail(FileProblem::Unreadable, "cannot read " + path + ": " + std::strerror(err));
    }
    const Fd fd(raw);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        return fail(FileProblem::Unreadable, "cannot read " + path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(FileProblem::NotRegular,
                    path + " is not a regular file but " + kind_of(st.st_mode));
    }
    const auto too_large = [&](std::size_t size) {
        return fail(FileProblem::TooLarge, path + " is " + std::to_string(size) +
                                               " bytes, over the limit of " +
                                               std::to_string(max_bytes));
    };
    if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > max_bytes) {
        return too_large(static_cast<std::size_t>(st.st_size));
    }
    std::string bytes;
    bytes.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == bytes.size()) {
            if (got > max_bytes) {
                return too_large(got);  // it grew while we read it
            }
            bytes.resize(std::min(max_bytes + 1, got + 65536));
        }
        const ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(FileProblem::Unreadable, "cannot read " + path + ": " + std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes) {
        return too_large(got);
    }
    bytes.resize(got);
    return bytes;
}

}  // namespace lisa::io
