package io.rns.chaos.fuzz;

import java.util.Random;

/** Produces the next frame to send to one kind of port. */
interface FrameSource {
    byte[] next(Random rnd);
}
