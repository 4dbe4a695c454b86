package io.vendorlink.core;

import io.vendorlink.testing.TestDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class FileTreesTest {
    @Test
    void deletesAFolderWithNestedFoldersAndFilesAndIsQuietWhenItIsGone() throws Exception {
        Path root = TestDirs.create("file-trees");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/one.txt"), "1");
        Files.writeString(root.resolve("a/b/c/two.txt"), "2");
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThatCode(() -> FileTrees.delete(root)).doesNotThrowAnyException();
        assertThatCode(() -> FileTrees.delete(null)).doesNotThrowAnyException();
    }
}
