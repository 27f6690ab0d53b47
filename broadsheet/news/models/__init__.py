from .announcement import NewsfeedAnnouncement
from .article_page import ArticleAuthor, ArticleKind, ArticlePage, ArticlePageTag
from .author_page import AuthorIndexPage, AuthorPage
from .gallery_page import GalleryPage, GalleryPhoto
from .home_page import HomePage
from .section_page import SectionPage
from .tag_index_page import TagIndexPage

__all__ = [
    "ArticleAuthor",
    "ArticleKind",
    "ArticlePage",
    "ArticlePageTag",
    "AuthorIndexPage",
    "AuthorPage",
    "GalleryPage",
    "GalleryPhoto",
    "HomePage",
    "NewsfeedAnnouncement",
    "SectionPage",
    "TagIndexPage",
]
