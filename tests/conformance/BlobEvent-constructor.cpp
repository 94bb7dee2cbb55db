// wpt/mediacapture-record/BlobEvent-constructor.html, in C++.
#include <gtest/gtest.h>

#include "support/event_log.h"

namespace mrec {

// "The BlobEventInit dictionary is required" / "The blob member is required": in C++ the
// constructor takes both arguments and BlobEventInit::data always holds a Blob.
TEST(BlobEventConstructor, RequiresTypeAndInit) {
  static_assert(!std::is_default_constructible_v<BlobEvent>);
  static_assert(std::is_constructible_v<BlobEvent, std::string, BlobEventInit>);
}

TEST(BlobEventConstructor, ConstructorWithoutTimecodeReadsZero) {
  const Blob blob(std::vector<uint8_t>{1, 2, 3}, "audio/ogg");
  const BlobEvent event("dataavailable", {blob, std::nullopt});
  EXPECT_EQ(event.type, "dataavailable");
  EXPECT_EQ(event.data.size(), 3u);
  EXPECT_EQ(event.data.type(), "audio/ogg");
  EXPECT_EQ(event.timecode, 0);
}

TEST(BlobEventConstructor, TimecodeIsKept) {
  const BlobEvent event("type", {Blob(), 123.45});
  EXPECT_EQ(event.timecode, 123.45);
  EXPECT_EQ(event.data.size(), 0u);
}

}  // namespace mrec
