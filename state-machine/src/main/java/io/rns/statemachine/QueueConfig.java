package io.rns.statemachine;

/** The queue configuration one broker name serves for one topic. */
public record QueueConfig(int readQueueNums, int writeQueueNums, int perm, int topicSysFlag) {
}
