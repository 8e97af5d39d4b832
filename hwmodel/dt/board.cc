#include "hwmodel/dt/board.h"

#include <algorithm>

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

}  // namespace probestorm::hwmodel
