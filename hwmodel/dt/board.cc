#include "hwmodel/dt/board.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "harness/rng.h"

namespace probestorm::hwmodel {

bool DtNode::IsCompatible(std::string_view c) const {
  return std::find(compatible.begin(), compatible.end(), c) != compatible.end();
}

int Board::FindPath(std::string_view path) const {
  for (const DtNode& n : nodes) {
    if (n.path == path) return n.index;
  }
  return kNoNode;
}

int Board::FindDevice(std::string_view device_name) const {
  for (int d : devices) {
    if (node(d).device_name == device_name) return d;
  }
  return kNoNode;
}

int Board::DeviceOf(int n) const {
  while (n != kNoNode && !node(n).is_device) n = node(n).parent;
  return n;
}

absl::Status DisableNodes(Board& board, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    const int root = board.FindPath(path);
    if (root == kNoNode) {
      return absl::InvalidArgumentError(
          absl::StrCat("board '", board.name, "' has no node '", path, "'"));
    }
    board.nodes[static_cast<size_t>(root)].status_okay = false;
    std::vector<int> stack = {root};
    while (!stack.empty()) {
      const int n = stack.back();
      stack.pop_back();
      auto& node = board.nodes[static_cast<size_t>(n)];
      node.available = false;
      for (int c : node.children) stack.push_back(c);
    }
  }
  std::vector<int> devices;
  for (int d : board.devices) {
    if (board.node(d).available) {
      devices.push_back(d);
    } else {
      board.nodes[static_cast<size_t>(d)].is_device = false;
    }
  }
  board.devices = std::move(devices);
  return absl::OkStatus();
}

uint64_t BoardFingerprint(const Board& board) {
  std::string s;
  for (const auto& n : board.nodes) {
    absl::StrAppend(&s, n.path, n.status_okay ? "+" : "-", n.iommus.size(), ":",
                    n.suppliers.size(), ";");
    for (const auto& c : n.compatible) absl::StrAppend(&s, c, ",");
    for (const auto& r : n.iommus) absl::StrAppend(&s, r.node, "/");
  }
  return harness::Rng::Hash(s);
}

}  // namespace probestorm::hwmodel
