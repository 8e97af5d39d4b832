// The embedded Samsung TM2E (Exynos5433) board, the default board of every campaign.
//
// Thread-safety: EmbeddedTm2eDtb() is stateless; call it from any thread.
#ifndef PROBESTORM_HWMODEL_DT_EMBEDDED_TM2E_H_
#define PROBESTORM_HWMODEL_DT_EMBEDDED_TM2E_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace probestorm::hwmodel {

// The board's flattened device tree (LoadEmbeddedBoard("embedded:tm2e") loads it as a Board).
absl::StatusOr<std::vector<uint8_t>> EmbeddedTm2eDtb();

}  // namespace probestorm::hwmodel

#endif  // PROBESTORM_HWMODEL_DT_EMBEDDED_TM2E_H_
