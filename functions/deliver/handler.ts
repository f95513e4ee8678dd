// Placeholder entry until the deliver worker lands (same commit series): an SQS batch handler.
export const handler = async (_event: { Records: { messageId: string; body: string }[] }) => ({ batchItemFailures: [] as { itemIdentifier: string }[] });
