#include <gtest/gtest.h>

#include "containers/ebml_writer.h"

namespace mrec::detail {

TEST(EbmlWriter, SizesUseTheShortestVint) {
  std::vector<uint8_t> out;
  ebml::putSize(out, 0);
  ebml::putSize(out, 126);
  ebml::putSize(out, 127);  // all ones in one byte is reserved: needs two
  ebml::putSize(out, 16382);
  ebml::putSize(out, ebml::kUnknownSize);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x80, 0xFE, 0x40, 0x7F, 0x7F, 0xFE, 0x01, 0xFF, 0xFF, 0xFF,
                                       0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(EbmlWriter, ElementsAndVoid) {
  std::vector<uint8_t> out;
  ebml::putUint(out, 0xD7, 1);
  ebml::putInt(out, 0x75A2, -2);
  ebml::putString(out, 0x86, "A");
  EXPECT_EQ(out, (std::vector<uint8_t>{0xD7, 0x81, 0x01, 0x75, 0xA2, 0x81, 0xFE, 0x86, 0x81, 'A'}));
  for (size_t total : {2u, 11u, 96u, 128u, 129u, 500u}) {
    std::vector<uint8_t> v;
    ebml::putVoid(v, total);
    EXPECT_EQ(v.size(), total);
    EXPECT_EQ(v[0], 0xEC);
  }
}

}  // namespace mrec::detail
