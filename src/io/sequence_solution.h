// Solution files of the sequencing engine: the day-D order, one car per line
// as "Date;SeqRank;Ident", copied from vehicles.txt (a header line
// "Date;SeqRank;Ident" comes first). Date plus SeqRank identifies a car;
// Ident alone does not (it is not unique in the ROADEF data). CSPLib cars
// have an empty Date, their position in the file's class-by-class listing
// as SeqRank and their class id as Ident.
//
//   std::string text = FormatSolution(inst, order);
//   Result<std::vector<int>> order = ReadSolution("out.txt", inst);
//
// ReadSolution tolerates CRLF, a trailing ';', blank lines and a missing
// final newline. It rejects unknown cars, D-1 cars, repeats, missing cars and
// an Ident that disagrees with the instance, as "path:line: what is wrong".
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "model/error.h"
#include "sequence/instance.h"

namespace cobuild::io {

std::string FormatSolution(const sequence::Instance& instance, std::span<const int> order);

// Returns the order as indices into instance.cars.
[[nodiscard]] Result<std::vector<int>> ReadSolution(const std::filesystem::path& path,
                                                    const sequence::Instance& instance);

// Writes FormatSolution to `path`; Internal if the file cannot be written.
[[nodiscard]] Result<void> WriteSolution(const std::filesystem::path& path,
                                         const sequence::Instance& instance, std::span<const int> order);

}  // namespace cobuild::io
