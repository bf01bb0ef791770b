// Error values returned across I/O and API boundaries.
//
// cobuild does not throw across its own APIs: a function that can fail on
// bad input or a failed dependency returns `Result<T>`, which is
// `std::expected<T, Error>`. The message names the file, line and field and
// says what was expected, for example
//   "uk-2026.yaml:41:9: lines[2].rate_jph: must be > 0, got -5".
//
//   Result<Scenario> s = LoadScenario(path);
//   if (!s) return cli::ReportError(s.error());  // the CLI maps it to an exit code
//
// A solve outcome (optimal, infeasible, time limit) is data, not an Error.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace cobuild {

enum class ErrorKind {
  kInvalidInput,  // The user's input is wrong (the CLI exits 2).
  kNotFound,      // A named file, id or object does not exist (the CLI exits 2).
  kInternal,      // A dependency or invariant failed (the CLI exits 1).
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;

  bool operator==(const Error&) const = default;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> InvalidInput(std::string message) {
  return std::unexpected(Error{ErrorKind::kInvalidInput, std::move(message)});
}
inline std::unexpected<Error> NotFound(std::string message) {
  return std::unexpected(Error{ErrorKind::kNotFound, std::move(message)});
}
inline std::unexpected<Error> Internal(std::string message) {
  return std::unexpected(Error{ErrorKind::kInternal, std::move(message)});
}

}  // namespace cobuild
