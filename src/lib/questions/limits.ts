/** Up to three photos with a question, and as many with an answer. */
export const MAX_QUESTION_PHOTOS = 3;
