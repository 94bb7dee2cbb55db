#include <gtest/gtest.h>
#include <mrec/blob.h>

#include <sstream>

namespace mrec {

TEST(Blob, EmptyByDefault) {
  const Blob blob;
  EXPECT_EQ(blob.size(), 0u);
  EXPECT_EQ(blob.type(), "");
  EXPECT_TRUE(blob.arrayBuffer().empty());
}

TEST(Blob, PartsAreConcatenatedInOrder) {
  const Blob a(std::vector<uint8_t>{'a', 'b'}, "x/a");
  const Blob b(std::vector<uint8_t>{'c'});
  const Blob joined({a, Blob(), b, a}, "audio/ogg");
  EXPECT_EQ(joined.text(), "abcab");
  EXPECT_EQ(joined.type(), "audio/ogg");
  EXPECT_EQ(Blob({a}, "t").text(), "ab");
}

TEST(Blob, SliceFollowsTheFileApi) {
  const Blob blob(std::vector<uint8_t>{'0', '1', '2', '3', '4', '5'});
  EXPECT_EQ(blob.slice(1, 3).text(), "12");
  EXPECT_EQ(blob.slice(-2).text(), "45");
  EXPECT_EQ(blob.slice(2, -1).text(), "234");
  EXPECT_EQ(blob.slice(4, 2).size(), 0u);
  EXPECT_EQ(blob.slice(-100, 100).text(), "012345");
  EXPECT_EQ(blob.slice(1, 3, "text/plain").type(), "text/plain");
  EXPECT_EQ(blob.slice(1, 5).slice(1, 2).text(), "2");
}

TEST(Blob, WriteToAndArrayBuffer) {
  const Blob blob(std::vector<uint8_t>{1, 2, 3});
  std::ostringstream out;
  blob.slice(1).writeTo(out);
  EXPECT_EQ(out.str(), std::string("\x02\x03"));
  EXPECT_EQ(blob.arrayBuffer(), (std::vector<uint8_t>{1, 2, 3}));
}

}  // namespace mrec
