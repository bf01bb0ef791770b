// Reader for a CSPLib prob001 car-sequencing file in the standard format:
//
//   line 1:  number of cars, number of options, number of classes
//   line 2:  for each option, N (max cars with it in a block)
//   line 3:  for each option, P (block size)
//   then one line per class: class id, number of cars, one 0/1 per option
//
//   Result<sequence::Instance> inst = ReadCsplibInstance("pb_200_01.txt");
//
// The instance has kind kCsplib, no D-1 and no colours; every option becomes
// a high-priority ratio constraint and the cars come out class by class. The
// class counts must add up to the number of cars. Errors read
// "path:line: what is wrong".
#pragma once

#include <filesystem>

#include "model/error.h"
#include "sequence/instance.h"

namespace cobuild::io {

[[nodiscard]] Result<sequence::Instance> ReadCsplibInstance(const std::filesystem::path& path);

}  // namespace cobuild::io
