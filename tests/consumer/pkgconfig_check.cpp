// Built with `pkg-config --cflags --libs mrec` alone.
#include <mrec/mrec.h>

int main() {
  return mrec::MediaRecorder::isTypeSupported("audio/ogg;codecs=opus") ? 0 : 1;
}
