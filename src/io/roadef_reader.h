// Reader for a ROADEF/EURO 2005 (Renault) car-sequencing instance folder:
// vehicles.txt, ratios.txt, optimization_objectives.txt, paint_batch_limit.txt
// (format: data/carseq/ROADEF2005_FORMAT.md section 3).
//
//   Result<sequence::Instance> inst = ReadRoadefInstance("Instances_set_X/022_...");
//
// Tolerates CRLF, trailing ';', blank lines and a missing final newline.
// vehicles.txt holds two dates in blocks: the first date seen is day D-1
// (kept in SeqRank order, fixed), the second is day D (input order = SeqRank
// order). A single date means there is no D-1. Idents need not be unique;
// Date + SeqRank must be. Errors read "path:line: what is wrong".
#pragma once

#include <filesystem>

#include "model/error.h"
#include "sequence/instance.h"

namespace cobuild::io {

[[nodiscard]] Result<sequence::Instance> ReadRoadefInstance(const std::filesystem::path& dir);

}  // namespace cobuild::io
