// The umbrella header of mrec, the W3C MediaStream Recording API for C++ programs.
// See README.md for a quick start; every name mirrors the Web IDL.
#pragma once

#include "mrec/blob.h"
#include "mrec/blob_file.h"
#include "mrec/errors.h"
#include "mrec/events.h"
#include "mrec/executor.h"
#include "mrec/formats.h"
#include "mrec/media_data.h"
#include "mrec/media_devices.h"
#include "mrec/media_duration.h"
#include "mrec/media_recorder.h"
#include "mrec/media_stream.h"
#include "mrec/media_stream_track_processor.h"
#include "mrec/seekable.h"
#include "mrec/sources.h"
