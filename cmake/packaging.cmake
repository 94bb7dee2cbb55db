# `cpack -G DEB` in a build directory makes a Debian package of what `cmake --install` installs:
# the library, its headers and CMake/pkg-config files, and the mrec command. Its dependencies
# are found by dpkg-shlibdeps from the libraries the binaries link, so the package declares
# exactly the Debian packages it needs. Package a build configured without MREC_WITH_AAC to
# keep it under the project's BSD licence (see README.md, Licence).
set(CPACK_PACKAGE_NAME mrec)
set(CPACK_PACKAGE_VENDOR "The mrec authors")
set(CPACK_PACKAGE_CONTACT "The mrec authors <mrec@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "W3C MediaStream Recording API (MediaRecorder) for C++, the mrec command and the Dictaphone")
set(CPACK_PACKAGE_DESCRIPTION
    "libmrec records audio and video from devices or from the program into Ogg, WebM, Matroska\n"
    "and MP4 through the MediaRecorder API; the mrec command records, lists devices and types,\n"
    "repairs other recorders' files and serves the Dictaphone web app.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libmrec opens libpulse.so.0 when capture is first asked for (src/sources/pulse_library.h),
# so dpkg-shlibdeps does not see it; the discovered dependencies are added to this one.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpulse0")
# A build with AAC opens libavcodec the same way (src/codecs/avcodec_library.h): the major
# version it was compiled against, whose Debian package is libavcodecN.
if(MREC_WITH_AAC)
  string(REGEX MATCH "^[0-9]+" avcodec_major "${AVCODEC_libavcodec_VERSION}")
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libavcodec${avcodec_major}")
endif()
# libmrec is in the package itself: dpkg-shlibdeps finds it there, not among Debian's.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CMAKE_BINARY_DIR}")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_GENERATOR DEB)
include(CPack)
